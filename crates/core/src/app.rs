//! The application context: [`Wasla`] holds the shared ground (configuration, store, bus,
//! clock, ids, blobs, metrics) and the state each domain keeps in memory, and is what every
//! handler gets. The operator's token check and a person's session lookup live here too.

use crate::accounts::{AccountRow, CodeSender, Presence};
use crate::blob::BlobStore;
use crate::bus::Bus;
use crate::chats::MembershipCache;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ids::{token_hash, IdGen};
use crate::integration::{AttemptRecord, HotCache};
use crate::store::Store;
use std::sync::Arc;

/// The application context every handler gets.
pub struct Wasla {
    /// Effective configuration.
    pub config: Config,
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// Live events.
    pub bus: Arc<dyn Bus>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Row ids.
    pub ids: IdGen,
    /// Media bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Verification code delivery.
    pub codes: Arc<dyn CodeSender>,
    /// Who is online on this node.
    pub presence: Presence,
    /// Counters for `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Cloud API rate limits.
    pub(crate) limiter: crate::integration::RateLimiter,
    /// Memberships of recently used chats.
    pub memberships: MembershipCache,
    /// Identities, business tokens and service windows of the Cloud API's hot path.
    pub hot: HotCache,
    operator_token_hash: String,
    pub(crate) shutdown: tokio::sync::watch::Sender<bool>,
    pub(crate) webhook_wakeup: tokio::sync::Notify,
    /// Pauses of apps whose receivers stopped answering.
    pub(crate) webhook_gate: crate::integration::WebhookGate,
    /// Webhook POSTs that outlasted their round, with the attempt each will record.
    pub(crate) webhook_stragglers:
        parking_lot::Mutex<Vec<tokio::task::JoinHandle<Option<AttemptRecord>>>>,
    /// Key for signed URLs (derived from the operator token, so every node agrees).
    pub(crate) url_key: String,
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
    /// Assemble the context.
    pub fn new(parts: Parts) -> Arc<Self> {
        Arc::new(Wasla {
            ids: IdGen::new(parts.config.node_id),
            webhook_gate: Default::default(),
            webhook_stragglers: Default::default(),
            config: parts.config,
            store: parts.store,
            bus: parts.bus,
            clock: parts.clock,
            blobs: parts.blobs,
            codes: parts.codes,
            presence: Presence::default(),
            metrics: Default::default(),
            limiter: Default::default(),
            memberships: MembershipCache::default(),
            hot: HotCache::default(),
            operator_token_hash: token_hash(&parts.operator_token),
            shutdown: tokio::sync::watch::channel(false).0,
            webhook_wakeup: tokio::sync::Notify::new(),
            url_key: token_hash(&format!("signed-urls:{}", parts.operator_token)),
        })
    }

    /// Tell long-lived connections that the server is stopping.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves when the server starts stopping.
    pub async fn stopping(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }

    /// Now, Unix ms.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
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

    /// The account behind a person's session token.
    pub async fn person_by_token(&self, token: &str) -> Result<(AccountRow, i64)> {
        let session = self
            .store
            .session_by_hash(&token_hash(token))
            .await?
            .ok_or_else(|| Error::Unauthorized("invalid or expired session".into()))?;
        let account = self
            .store
            .account(session.account_id)
            .await?
            .ok_or_else(|| Error::Unauthorized("invalid or expired session".into()))?;
        Ok((account, session.id))
    }

    /// An account by wa_id, or not found.
    pub async fn account_by_wa_id(&self, wa_id: &str) -> Result<AccountRow> {
        self.store
            .account_by_wa_id(wa_id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no account {wa_id}")))
    }
}
