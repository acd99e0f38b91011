//! Sends the Cloud API accepted and then failed asynchronously (`failed_sends`), kept for the
//! business side of the shared inbox only (the person never sees them): the
//! [`FailedSendStore`] impl.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::integration::{FailedSendRow, FailedSendStore};
use wasla_core::Result;

const FAILED_COLS: &str =
    "id, business_id, person_id, wa_id, wamid, kind, preview, error_code, created_at";

fn failed_send(r: &AnyRow) -> FailedSendRow {
    FailedSendRow {
        id: r.get(0),
        business_id: r.get(1),
        person_id: r.get(2),
        wa_id: r.get(3),
        wamid: r.get(4),
        kind: r.get(5),
        preview: r.get(6),
        error_code: r.get(7),
        created_at: r.get(8),
    }
}

#[async_trait]
impl FailedSendStore for SqlStore {
    async fn put_failed_send(&self, row: &FailedSendRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO failed_sends ({FAILED_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(row.id)
        .bind(row.business_id)
        .bind(row.person_id)
        .bind(&row.wa_id)
        .bind(&row.wamid)
        .bind(&row.kind)
        .bind(&row.preview)
        .bind(row.error_code)
        .bind(row.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn failed_sends(
        &self,
        business_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FailedSendRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {FAILED_COLS} FROM failed_sends WHERE business_id = $1 AND person_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(business_id)
        .bind(person_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        let mut out: Vec<FailedSendRow> = rows.iter().map(failed_send).collect();
        out.reverse();
        Ok(out)
    }

    async fn failed_sends_of(
        &self,
        business_ids: &[i64],
        limit: i64,
    ) -> Result<Vec<FailedSendRow>> {
        if business_ids.is_empty() {
            return Ok(vec![]);
        }
        let n = business_ids.len();
        let sql = format!(
            "SELECT {FAILED_COLS} FROM failed_sends WHERE business_id IN ({}) \
             ORDER BY created_at DESC, id DESC LIMIT ${}",
            placeholders(1, n),
            n + 1
        );
        let mut q = sqlx::query(&sql);
        for id in business_ids {
            q = q.bind(*id);
        }
        let rows = q.bind(limit).fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows.iter().map(failed_send).collect())
    }
}
