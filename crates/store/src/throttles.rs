//! Throttle hits (`throttle_hits`): one row per counted attempt, read back per rule and
//! subject over a window. The [`ThrottleStore`] impl of the shared ground's throttles, beside
//! the domains because every domain may throttle.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::throttle::{ThrottleHit, ThrottleStore};
use wasla_core::Result;

const HITS: &str =
    "SELECT at, id FROM throttle_hits WHERE scope = $1 AND subject = $2 AND at >= $3 ORDER BY at, id";

#[async_trait]
impl ThrottleStore for SqlStore {
    async fn throttle_hits(&self, scope: &str, key: &str, since: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(HITS)
            .bind(scope)
            .bind(key)
            .bind(since)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn add_throttle_hit(&self, hit: &ThrottleHit, since: i64) -> Result<Vec<(i64, i64)>> {
        sqlx::query("INSERT INTO throttle_hits (id, scope, subject, at) VALUES ($1, $2, $3, $4)")
            .bind(hit.id)
            .bind(&hit.scope)
            .bind(&hit.key)
            .bind(hit.at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        // Read after the insert committed: of two racing hits, at least one sees the other.
        self.throttle_hits(&hit.scope, &hit.key, since).await
    }

    async fn remove_throttle_hits(&self, ids: &[i64]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM throttle_hits WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(&self.write).await.map_err(db_err)?;
        Ok(())
    }

    async fn clear_throttle(&self, scope: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM throttle_hits WHERE scope = $1 AND subject = $2")
            .bind(scope)
            .bind(key)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn prune_throttle_hits(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM throttle_hits WHERE at < $1")
            .bind(before)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
