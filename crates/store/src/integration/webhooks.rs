//! The webhook outbox as the delivery worker and the API see it: the [`WebhookStore`] impl
//! (queuing, claims and attempts through the group commit, the delivery log, redelivery, and
//! an app's callback as delivery reads it).

use super::outbox::enqueue_webhook;
use crate::business;
use crate::db::Db;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::business::AppRow;
use wasla_core::chats::WebhookWork;
use wasla_core::integration::{AttemptRecord, DeliveryRow, OutboxRow, WebhookStore};
use wasla_core::Result;

const DELIVERY_COLS: &str =
    "id, app_id, event, state, attempts, last_status, last_error, next_attempt_at, created_at, delivered_at";

#[async_trait]
impl WebhookStore for SqlStore {
    async fn enqueue_webhook(&self, work: &WebhookWork, now: i64) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        enqueue_webhook(&mut Db::Any(&mut tx), work, now).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn claim_webhooks(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        self.writer.claim_webhooks(now, lease_until, limit).await
    }

    async fn record_attempts(&self, attempts: Vec<AttemptRecord>) -> Result<()> {
        if attempts.is_empty() {
            return Ok(());
        }
        self.writer.record_attempts(attempts).await
    }

    async fn deliveries(
        &self,
        app_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLS} FROM outbox WHERE app_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(app_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| DeliveryRow {
                id: r.get(0),
                app_id: r.get(1),
                event: r.get(2),
                state: r.get(3),
                attempts: r.get(4),
                last_status: r.get(5),
                last_error: r.get(6),
                next_attempt_at: r.get(7),
                created_at: r.get(8),
                delivered_at: r.get(9),
            })
            .collect())
    }

    async fn redeliver(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE outbox SET state = 'pending', next_attempt_at = $1, lease_until = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn pending_webhooks(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
            .fetch_one(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.get(0))
    }

    async fn app(&self, id: i64) -> Result<Option<AppRow>> {
        // A WABA-level override (subscribed_apps) wins over the app's own callback URL.
        let row = sqlx::query(&format!(
            "SELECT {} FROM apps ap JOIN wabas w ON w.id = ap.waba_id WHERE ap.id = $1",
            business::app_cols("COALESCE(w.override_callback_uri, ap.webhook_url)")
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        row.as_ref().map(|r| business::app(self, r)).transpose()
    }
}
