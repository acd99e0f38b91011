//! What other domains hand to integration: webhook work to queue in the outbox, and the sends
//! that failed asynchronously, which the business console shows.

use super::Integration;
use crate::chats::WebhookWork;
use crate::error::Result;
use crate::integration::FailedSendRow;

impl Integration {
    /// Queue a webhook outside a message commit (e.g. a send that failed before storing).
    pub async fn enqueue_webhook(&self, work: &WebhookWork, now: i64) -> Result<()> {
        self.store.enqueue_webhook(work, now).await
    }

    /// Queue a WABA-level change (`account_update`, `phone_number_quality_update`, …) for
    /// every app subscribed to the WABA; `business_id` is the number it is about (0: none).
    pub async fn enqueue_waba_update(
        &self,
        waba_id: i64,
        business_id: i64,
        field: &str,
        value: serde_json::Value,
    ) -> Result<()> {
        let now = self.ground.now();
        let work = WebhookWork {
            business_id,
            waba_id: Some(waba_id),
            event: crate::chats::WebhookEvent::WabaUpdate {
                field: field.to_string(),
                value,
                timestamp: now,
            },
        };
        self.store.enqueue_webhook(&work, now).await?;
        self.webhooks_queued();
        Ok(())
    }

    /// The latest failed sends of a business number to a person, oldest first.
    pub async fn failed_sends(
        &self,
        business_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FailedSendRow>> {
        self.store.failed_sends(business_id, person_id, limit).await
    }

    /// The latest failed sends of these business numbers to anyone, newest first.
    pub async fn failed_sends_of(
        &self,
        business_ids: &[i64],
        limit: i64,
    ) -> Result<Vec<FailedSendRow>> {
        self.store.failed_sends_of(business_ids, limit).await
    }
}
