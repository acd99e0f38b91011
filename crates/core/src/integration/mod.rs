//! Integration: the Cloud API's rules for a business's back end. Business sends through the
//! one send path with the 24-hour customer service window, interactive content limits,
//! templates (review, parameters, rendering), business media, rate limits, fetching media by
//! link, and webhooks: rendering stored events into Meta's payloads, signing them, and
//! delivering them from the outbox with retries, a gate for slow receivers and a delivery log.
//! Uses accounts, chats and business.

mod cloud;
mod cloud_media;
mod delivery;
mod failed_sends;
mod gate;
mod limits;
mod link_fetch;
mod pricing;
mod render;
mod rows;
mod store;
mod template_send;
mod templates;
mod welcome;

pub use pricing::{PriceDecision, PricedSend, SendPricing, StatusPricing};
pub(crate) use render::status_error;
pub use render::{ordering_key, signature, SERVICE_WINDOW_MS};
pub use rows::*;
pub use store::*;
pub use templates::template_json;

use crate::accounts::Accounts;
use crate::business::Business;
use crate::chats::Chats;
use crate::error::Result;
use crate::ground::Ground;
use gate::WebhookGate;
use limits::RateLimiter;
use std::sync::{Arc, OnceLock};
use wasla_types::cloud::{Metadata, WebhookPayload};

/// Renders `payment` status webhooks, whose rows the commerce domain owns. Registered once,
/// when the context is built.
#[async_trait::async_trait]
pub trait PaymentStatuses: Send + Sync {
    /// The `payment` status of payment `payment_id` for the WABA's webhook, or `None` when the
    /// payment is gone.
    async fn render(
        &self,
        waba_id: i64,
        metadata: Metadata,
        payment_id: i64,
        status: &str,
        timestamp: i64,
    ) -> Result<Option<WebhookPayload>>;
}

/// The billing domain's rules a business's send must pass before it is stored (blocks between
/// the number and the person, marketing opt-outs, the WABA's messaging limit), and whether a
/// person's messages are withheld from the business. Registered once, when the context is
/// built.
#[async_trait::async_trait]
pub trait SendGuard: Send + Sync {
    /// The code the send fails with asynchronously (131026, 131050, 131048), or `None` to let
    /// it through. `category` is a template's pricing category (`None`: not a template);
    /// `business_initiated` is a template sent outside an open customer service window.
    async fn check_send(
        &self,
        number: &crate::accounts::AccountRow,
        person_id: i64,
        category: Option<&str>,
        business_initiated: bool,
    ) -> Result<Option<i64>>;
    /// Whether the number blocked the person, so the person's messages reach no webhook.
    async fn withholds_inbound(&self, number_id: i64, person_id: i64) -> Result<bool>;
}

/// The integration domain: what it stores, the shared ground, the domains it uses, and the
/// rate limits and webhook delivery state it keeps in memory.
pub struct Integration {
    ground: Ground,
    store: Arc<dyn IntegrationStorage>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
    business: Arc<Business>,
    limiter: RateLimiter,
    webhook_gate: WebhookGate,
    /// Webhook POSTs that outlasted their round, with the attempt each will record.
    webhook_stragglers: parking_lot::Mutex<Vec<tokio::task::JoinHandle<Option<AttemptRecord>>>>,
    /// Key for signed media URLs (derived from the operator token, so every node agrees).
    url_key: String,
    payment_statuses: OnceLock<Arc<dyn PaymentStatuses>>,
    pricing: OnceLock<Arc<dyn SendPricing>>,
    send_guard: OnceLock<Arc<dyn SendGuard>>,
}

impl Integration {
    /// The integration service over its store; `url_key` signs media download URLs.
    pub fn new(
        ground: Ground,
        store: Arc<dyn IntegrationStorage>,
        chats: Arc<Chats>,
        business: Arc<Business>,
        accounts: Arc<Accounts>,
        url_key: String,
    ) -> Integration {
        Integration {
            ground,
            store,
            accounts,
            chats,
            business,
            limiter: RateLimiter::default(),
            webhook_gate: WebhookGate::default(),
            webhook_stragglers: Default::default(),
            url_key,
            payment_statuses: OnceLock::new(),
            pricing: OnceLock::new(),
            send_guard: OnceLock::new(),
        }
    }

    /// Register the renderer of `payment` statuses (once).
    pub fn set_payment_statuses(&self, renderer: Arc<dyn PaymentStatuses>) {
        let _ = self.payment_statuses.set(renderer);
    }

    /// Register the pricing of business messages (once).
    pub fn set_pricing(&self, pricing: Arc<dyn SendPricing>) {
        let _ = self.pricing.set(pricing);
    }

    /// Register the billing domain's send rules (once).
    pub fn set_send_guard(&self, guard: Arc<dyn SendGuard>) {
        let _ = self.send_guard.set(guard);
    }

    /// The code a send from `number` to `person_id` fails with under the send guard, if any.
    async fn guard_send(
        &self,
        number: &crate::accounts::AccountRow,
        person_id: i64,
        category: Option<&str>,
        business_initiated: bool,
    ) -> Result<Option<i64>> {
        match self.send_guard.get() {
            Some(g) => {
                g.check_send(number, person_id, category, business_initiated)
                    .await
            }
            None => Ok(None),
        }
    }

    /// Whether a person's messages to `number_id` are withheld from its webhooks.
    async fn inbound_withheld(&self, number_id: i64, person_id: i64) -> Result<bool> {
        match self.send_guard.get() {
            Some(g) => g.withholds_inbound(number_id, person_id).await,
            None => Ok(false),
        }
    }

    /// When a person last wrote to a business number (Unix ms), if ever.
    pub async fn last_inbound(&self, number_id: i64, person_id: i64) -> Result<Option<i64>> {
        self.chats.last_inbound(number_id, person_id).await
    }
}
