//! The integration domain's storage: the webhook outbox with its delivery log, message
//! templates, failed sends and the rate-limit buckets every node shares.

use super::rows::*;
use crate::business::AppRow;
use crate::chats::WebhookWork;
use crate::error::Result;
use async_trait::async_trait;

/// Webhook deliveries (the outbox), their attempts, and the customer service windows.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Queue a webhook outside a message commit (e.g. a send that failed before storing).
    async fn enqueue_webhook(&self, work: &WebhookWork, now: i64) -> Result<()>;
    /// Lease up to `limit` due deliveries until `lease_until`.
    async fn claim_webhooks(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>>;
    /// Record attempts and what happens next to each row, in one transaction.
    async fn record_attempts(&self, attempts: Vec<AttemptRecord>) -> Result<()>;
    /// An app's deliveries, newest first, with ids below `before` when given.
    async fn deliveries(
        &self,
        app_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>>;
    /// Queue a delivery again now (delivered or failed ones included); false if unknown.
    async fn redeliver(&self, id: i64, now: i64) -> Result<bool>;
    /// Number of deliveries not yet delivered or given up.
    async fn pending_webhooks(&self) -> Result<i64>;
    /// One app.
    async fn app(&self, id: i64) -> Result<Option<AppRow>>;
}

/// Filters for listing templates.
#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    /// Exact name.
    pub name: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Language.
    pub language: Option<String>,
}

/// Message templates.
#[async_trait]
pub trait TemplateStore: Send + Sync {
    /// Insert; `Conflict` if the WABA has the name in that language.
    async fn create_template(&self, row: &TemplateRow) -> Result<()>;
    /// By id.
    async fn template(&self, id: i64) -> Result<Option<TemplateRow>>;
    /// By WABA, name and language.
    async fn template_by_name(
        &self,
        waba_id: i64,
        name: &str,
        language: &str,
    ) -> Result<Option<TemplateRow>>;
    /// A page of a WABA's templates with ids above `after`, ascending.
    async fn templates(
        &self,
        waba_id: i64,
        filter: &TemplateFilter,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<TemplateRow>>;
    /// How many templates a WABA has.
    async fn count_templates(&self, waba_id: i64) -> Result<i64>;
    /// Save changed fields (category, components, status, reason, updated_at), and queue the
    /// status webhook if one is given, in one transaction.
    async fn save_template(&self, row: &TemplateRow, webhook: Option<&WebhookWork>) -> Result<()>;
    /// Delete a WABA's templates of a name (one id only, when given); returns how many.
    async fn delete_templates(&self, waba_id: i64, name: &str, id: Option<i64>) -> Result<u64>;
    /// Turn automatic approval on or off for a WABA.
    async fn set_auto_approve(&self, waba_id: i64, on: bool) -> Result<()>;
}

/// Sends that failed asynchronously, kept for the business console.
#[async_trait]
pub trait FailedSendStore: Send + Sync {
    /// Record a send that failed asynchronously.
    async fn put_failed_send(&self, row: &FailedSendRow) -> Result<()>;
    /// The latest failed sends of a business number to a person, oldest first.
    async fn failed_sends(
        &self,
        business_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FailedSendRow>>;
    /// The latest failed sends of these business numbers to anyone, newest first.
    async fn failed_sends_of(&self, business_ids: &[i64], limit: i64)
        -> Result<Vec<FailedSendRow>>;
}

/// The Cloud API's rate-limit buckets, shared by the nodes (`limits.rs`).
#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Add each use to its bucket: it is full again at `max(stored, since) + used`; stamped
    /// `now` (Unix ms). One transaction, rows in the order given.
    async fn add_rate_use(&self, uses: &[RateUse], now: i64) -> Result<()>;
    /// The buckets changed at or after `since` (Unix ms) that are full only after `after_us`.
    async fn rate_states(&self, since: i64, after_us: i64) -> Result<Vec<RateState>>;
    /// Forget buckets unchanged since `before` (Unix ms) that were full by `full_by_us`.
    async fn prune_rate_states(&self, before: i64, full_by_us: i64) -> Result<u64>;
}

/// Everything the integration domain stores.
pub trait IntegrationStorage:
    WebhookStore + TemplateStore + FailedSendStore + RateLimitStore
{
}
impl<T: WebhookStore + TemplateStore + FailedSendStore + RateLimitStore> IntegrationStorage for T {}
