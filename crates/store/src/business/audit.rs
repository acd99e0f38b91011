//! The audit log (`audit_log`): entries written in batches by the business domain's audit
//! worker, read newest first (all of them or one WABA's) and purged by age. The
//! [`AuditStore`] impl.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::business::{AuditQuery, AuditRow, AuditStore};
use wasla_core::Result;

/// Columns of an entry, in [`entry`]'s order.
const COLS: &str = "id, at, waba_id, actor_kind, actor_id, actor_email, method, route, target, \
                    status, client_addr, user_agent";
/// Entries per INSERT statement (12 values each, under both backends' bind limits).
const PER_STATEMENT: usize = 256;

fn entry(r: &AnyRow) -> AuditRow {
    AuditRow {
        id: r.get(0),
        at: r.get(1),
        waba_id: r.get(2),
        actor_kind: r.get(3),
        actor_id: r.get(4),
        actor_email: r.get(5),
        method: r.get(6),
        route: r.get(7),
        target: r.get(8),
        status: r.get(9),
        client_addr: r.get(10),
        user_agent: r.get(11),
    }
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn insert_audit(&self, rows: &[AuditRow]) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for chunk in rows.chunks(PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 12 + 1, 12)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO audit_log ({COLS}) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.id)
                    .bind(r.at)
                    .bind(r.waba_id)
                    .bind(&r.actor_kind)
                    .bind(r.actor_id)
                    .bind(&r.actor_email)
                    .bind(&r.method)
                    .bind(&r.route)
                    .bind(&r.target)
                    .bind(r.status)
                    .bind(&r.client_addr)
                    .bind(&r.user_agent);
            }
            q.execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn audit_page(&self, q: &AuditQuery) -> Result<Vec<AuditRow>> {
        let before = q.before.unwrap_or(i64::MAX);
        let rows = match q.waba_id {
            Some(waba) => {
                sqlx::query(&format!(
                    "SELECT {COLS} FROM audit_log WHERE waba_id = $1 AND id < $2 \
                     ORDER BY id DESC LIMIT $3"
                ))
                .bind(waba)
                .bind(before)
                .bind(q.limit)
                .fetch_all(&self.read)
                .await
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLS} FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(before)
                .bind(q.limit)
                .fetch_all(&self.read)
                .await
            }
        }
        .map_err(db_err)?;
        Ok(rows.iter().map(entry).collect())
    }

    async fn purge_audit(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM audit_log WHERE at < $1")
            .bind(before)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
