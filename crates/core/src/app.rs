//! The application context: [`Wasla`] builds every domain's service over its part of the store
//! and holds one of each, with the shared ground and the operator's token. Handlers reach the
//! domains through it (`app.chats`, `app.integration`, …); the domains reach each other only
//! through the services they were built with.

use crate::accounts::{Accounts, CodeSender};
use crate::billing::Billing;
use crate::blob::BlobStore;
use crate::bus::Bus;
use crate::business::Business;
use crate::calls::Calls;
use crate::chats::Chats;
use crate::clock::Clock;
use crate::commerce::Commerce;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ground::Ground;
use crate::ids::token_hash;
use crate::integration::Integration;
use crate::status::Status;
use crate::store::Store;
use crate::tools::{Tools, ToolsUses};
use std::sync::Arc;

/// The application context every handler gets.
pub struct Wasla {
    /// Configuration, time, ids, bus, blobs and metrics, as every service has them.
    pub ground: Ground,
    /// Effective configuration (the ground's).
    pub config: Arc<Config>,
    /// Live events (the ground's).
    pub bus: Arc<dyn Bus>,
    /// Counters for `/metrics` (the ground's).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// People and business numbers, sessions, presence, uploads.
    pub accounts: Arc<Accounts>,
    /// Chats, the one send path, receipts and sync.
    pub chats: Arc<Chats>,
    /// WABAs, numbers, apps, tokens and business profiles.
    pub business: Arc<Business>,
    /// The Cloud API's rules, templates, business media and webhooks.
    pub integration: Arc<Integration>,
    /// Catalogs, shops, orders and payments.
    pub commerce: Arc<Commerce>,
    /// Agents, the inbox, labels, automations and QR codes.
    pub tools: Arc<Tools>,
    /// Rate cards, the ledger, balances, invoices, analytics, limits and quality.
    pub billing: Arc<Billing>,
    /// Sticker packs (and, later, Status updates and ads).
    pub status: Arc<Status>,
    /// The built-in STUN/TURN server and the ICE servers clients are given.
    pub turn: Arc<crate::calls::turn::Turn>,
    /// Voice and video calls between people: signalling, timers, records.
    pub calls: Arc<Calls>,
    /// Group calls: their rooms, signalling and the SFU that carries their media.
    pub group_calls: Arc<crate::calls::sfu::GroupCalls>,
    /// The whole store, for readiness checks.
    store: Arc<dyn Store>,
    operator_token_hash: String,
}

/// What a [`Wasla`] is built from.
pub struct Parts {
    /// Effective configuration.
    pub config: Config,
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// Live events.
    pub bus: Arc<dyn Bus>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Media bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Verification code delivery.
    pub codes: Arc<dyn CodeSender>,
    /// The operator token (plain; only its hash is kept).
    pub operator_token: String,
}

impl Wasla {
    /// Build every domain's service, lowest first, and register the hooks of the domains
    /// above with those below.
    pub fn new(parts: Parts) -> Arc<Self> {
        let store = parts.store;
        let ground = Ground::new(parts.config, parts.clock, parts.bus, parts.blobs)
            .with_throttle_store(store.clone());
        let accounts = Arc::new(Accounts::new(ground.clone(), store.clone(), parts.codes));
        let chats = Arc::new(Chats::new(ground.clone(), store.clone(), accounts.clone()));
        let business = Arc::new(Business::new(
            ground.clone(),
            store.clone(),
            accounts.clone(),
        ));
        let integration = Arc::new(Integration::new(
            ground.clone(),
            store.clone(),
            chats.clone(),
            business.clone(),
            accounts.clone(),
            token_hash(&format!("signed-urls:{}", parts.operator_token)),
        ));
        let commerce = Arc::new(Commerce::new(
            ground.clone(),
            store.clone(),
            accounts.clone(),
            chats.clone(),
            business.clone(),
            integration.clone(),
        ));
        let billing = Arc::new(Billing::new(
            ground.clone(),
            store.clone(),
            accounts.clone(),
            business.clone(),
            integration.clone(),
        ));
        chats.set_content_rules(commerce.clone());
        integration.set_payment_statuses(commerce.clone());
        integration.set_send_guard(billing.clone());
        integration.set_pricing(billing.clone());
        business.set_number_standing(billing.clone());
        let tools = Arc::new(Tools::new(
            ground.clone(),
            store.clone(),
            ToolsUses {
                accounts: accounts.clone(),
                chats: chats.clone(),
                business: business.clone(),
                integration: integration.clone(),
            },
        ));
        let status = Arc::new(Status::new(
            ground.clone(),
            store.clone(),
            accounts.clone(),
            chats.clone(),
            business.clone(),
            billing.clone(),
        ));
        chats.set_referral_rules(status.clone());
        let calls = Arc::new(Calls::new(
            ground.clone(),
            store.clone(),
            accounts.clone(),
            chats.clone(),
        ));
        let group_calls = Arc::new(crate::calls::sfu::GroupCalls::new(
            ground.clone(),
            chats.clone(),
        ));
        let turn = Arc::new(crate::calls::turn::Turn::new(
            ground.clone(),
            &parts.operator_token,
        ));
        Arc::new(Wasla {
            config: ground.config.clone(),
            bus: ground.bus.clone(),
            metrics: ground.metrics.clone(),
            ground,
            accounts,
            chats,
            business,
            integration,
            commerce,
            tools,
            billing,
            status,
            turn,
            calls,
            group_calls,
            store,
            operator_token_hash: token_hash(&parts.operator_token),
        })
    }

    /// Tell long-lived connections and workers that the server is stopping.
    pub fn begin_shutdown(&self) {
        self.ground.begin_shutdown();
    }

    /// Resolves when the server starts stopping.
    pub async fn stopping(&self) {
        self.ground.stopping().await
    }

    /// Now, Unix ms.
    pub fn now(&self) -> i64 {
        self.ground.now()
    }

    /// Whether the database answers.
    pub async fn ready(&self) -> Result<()> {
        self.store.last_event_seq(0).await.map(|_| ())
    }

    /// Check the operator token (constant-time over the hashes).
    pub fn check_operator(&self, token: &str) -> Result<()> {
        let given = token_hash(token);
        if crate::ids::same_secret(&given, &self.operator_token_hash) {
            Ok(())
        } else {
            Err(Error::Unauthorized("invalid operator token".into()))
        }
    }
}
