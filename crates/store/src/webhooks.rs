//! The webhook outbox: leased claims (with `FOR UPDATE SKIP LOCKED` on PostgreSQL so several
//! nodes share the work), attempts and their log, redelivery, and service windows.

use crate::db::{Columns, Db};
use crate::messages::{enqueue_webhook, fixed_chunks, Sql, ROWS_PER_STATEMENT};
use crate::{db_err, rows, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::business::AppRow;
use wasla_core::chats::WebhookWork;
use wasla_core::integration::{
    AttemptOutcome, AttemptRecord, DeliveryRow, OutboxRow, WebhookStore,
};
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
            rows::app_cols("COALESCE(w.override_callback_uri, ap.webhook_url)")
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(rows::app))
    }
}

/// Lease up to `limit` due deliveries until `lease_until`, oldest first. Runs in a group
/// commit (see `writer`), so a claim shares its transaction and sync with the batch's other
/// writes; on PostgreSQL the rows are taken with `FOR UPDATE SKIP LOCKED`, so the nodes
/// sharing the outbox never claim one row twice.
pub(crate) async fn claim_due(
    conn: &mut Db<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let lock = if conn.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let mut sql = Sql::new("UPDATE outbox SET lease_until = ");
    sql.int(lease_until)
        .push(" WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ")
        .int(now)
        .push(" AND (lease_until IS NULL OR lease_until <= ")
        .int(now)
        .push(") ORDER BY next_attempt_at, id LIMIT ")
        .int(limit)
        .push(lock)
        .push(") RETURNING id, app_id, event, attempts, created_at");
    conn.fetch_all(&sql)
        .await?
        .iter()
        .map(|r| {
            Ok(OutboxRow {
                id: r.col(0)?,
                app_id: r.col(1)?,
                event: r.col(2)?,
                attempts: r.col(3)?,
                created_at: r.col(4)?,
            })
        })
        .collect()
}

/// Record a round's attempts and what happens next to each delivery (and release their
/// leases): two statements per chunk of the round, not two per delivery, and one per chunk of
/// the rows put back without an attempt. NULLs are typed, so PostgreSQL gives every VALUES
/// column its table's type.
pub(crate) async fn store_attempts(conn: &mut Db<'_>, attempts: &[AttemptRecord]) -> Result<()> {
    let (put_back, made): (Vec<&AttemptRecord>, Vec<&AttemptRecord>) = attempts
        .iter()
        .partition(|a| matches!(a.outcome, AttemptOutcome::PutBack(_)));
    put_back_due(conn, &put_back).await?;
    for chunk in fixed_chunks(&made, ROWS_PER_STATEMENT) {
        let mut insert = Sql::new(
            "INSERT INTO webhook_attempts (outbox_id, attempt, at, status_code, error, duration_ms) VALUES ",
        );
        insert.list(chunk, |q, a| {
            q.push("(")
                .int(a.outbox_id)
                .push(", ")
                .int(a.attempt)
                .push(", ")
                .int(a.at)
                .push(", ")
                .opt_int(a.status_code)
                .push(", ")
                .opt_string(a.error.as_deref())
                .push(", ")
                .int(a.duration_ms)
                .push(")");
        });
        insert.push(" ON CONFLICT (outbox_id, attempt) DO NOTHING");
        conn.execute(&insert).await?;
        // VALUES columns are column1, column2, … on both backends.
        let mut update = Sql::new(
            "UPDATE outbox SET state = v.column2, attempts = v.column3, next_attempt_at = v.column4, \
             delivered_at = v.column5, last_status = v.column6, last_error = v.column7, lease_until = NULL \
             FROM (VALUES ",
        );
        update.list(chunk, |q, a| {
            let (state, next, delivered) = match a.outcome {
                AttemptOutcome::Delivered => ("delivered", a.at, Some(a.at)),
                AttemptOutcome::RetryAt(t) => ("pending", t, None),
                AttemptOutcome::Failed => ("failed", a.at, None),
                // Not reached: put-backs were taken out above.
                AttemptOutcome::PutBack(t) => ("pending", t, None),
            };
            q.push("(CAST(")
                .int(a.outbox_id)
                .push(" AS BIGINT), CAST(")
                .string(state)
                .push(" AS TEXT), CAST(")
                .int(a.attempt)
                .push(" AS BIGINT), CAST(")
                .int(next)
                .push(" AS BIGINT), CAST(")
                .opt_int(delivered)
                .push(" AS BIGINT), CAST(")
                .opt_int(a.status_code)
                .push(" AS BIGINT), CAST(")
                .opt_string(a.error.as_deref())
                .push(" AS TEXT))");
        });
        update.push(") AS v WHERE outbox.id = v.column1");
        conn.execute(&update).await?;
    }
    Ok(())
}

/// Deliveries put back without an attempt: due again later, their leases released.
async fn put_back_due(conn: &mut Db<'_>, put_back: &[&AttemptRecord]) -> Result<()> {
    for chunk in fixed_chunks(put_back, ROWS_PER_STATEMENT) {
        let mut update = Sql::new(
            "UPDATE outbox SET next_attempt_at = v.column2, lease_until = NULL FROM (VALUES ",
        );
        update.list(chunk, |q, a| {
            q.push("(CAST(")
                .int(a.outbox_id)
                .push(" AS BIGINT), CAST(")
                .int(a.at)
                .push(" AS BIGINT))");
        });
        update.push(") AS v WHERE outbox.id = v.column1");
        conn.execute(&update).await?;
    }
    Ok(())
}
