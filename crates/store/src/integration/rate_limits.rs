//! The Cloud API's rate-limit buckets every node shares (`rate_limits`): each node's sync
//! round adds its use in one transaction of multi-row upserts, and reads back what changed.
//! The [`RateLimitStore`] impl.

use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::integration::{RateLimitStore, RateState, RateUse};
use wasla_core::Result;

#[async_trait]
impl RateLimitStore for SqlStore {
    async fn add_rate_use(&self, uses: &[RateUse], now: i64) -> Result<()> {
        if uses.is_empty() {
            return Ok(());
        }
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for chunk in fixed_chunks(uses, ROWS_PER_STATEMENT) {
            // A new row is full at `since + used`; an existing one at
            // `max(stored, since) + used`, which is `max(stored + used, since + used)`.
            let mut sql = Sql::new(
                "INSERT INTO rate_limits (number_id, person_id, full_at_us, used_us, updated_at) \
                 VALUES ",
            );
            sql.list(chunk, |s, u| {
                s.push("(")
                    .int(u.number_id)
                    .push(", ")
                    .int(u.person_id)
                    .push(", ")
                    .int(u.since_us + u.used_us)
                    .push(", ")
                    .int(u.used_us)
                    .push(", ")
                    .int(now)
                    .push(")");
            });
            sql.push(
                " ON CONFLICT (number_id, person_id) DO UPDATE SET full_at_us = CASE \
                 WHEN rate_limits.full_at_us + excluded.used_us > excluded.full_at_us \
                 THEN rate_limits.full_at_us + excluded.used_us ELSE excluded.full_at_us END, \
                 used_us = excluded.used_us, updated_at = excluded.updated_at",
            );
            sql.query().execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn rate_states(&self, since: i64, after_us: i64) -> Result<Vec<RateState>> {
        let rows = sqlx::query(
            "SELECT number_id, person_id, full_at_us FROM rate_limits \
             WHERE updated_at >= $1 AND full_at_us > $2",
        )
        .bind(since)
        .bind(after_us)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| RateState {
                number_id: r.get(0),
                person_id: r.get(1),
                full_at_us: r.get(2),
            })
            .collect())
    }

    async fn prune_rate_states(&self, before: i64, full_by_us: i64) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM rate_limits WHERE updated_at < $1 AND full_at_us <= $2")
                .bind(before)
                .bind(full_by_us)
                .execute(&self.write)
                .await
                .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
