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
