//! Sends the Cloud API accepted and then failed asynchronously, kept per business number and
//! person so the shared inbox can show them with their error code.

use crate::{db_err, SqlStore};
use wasla_core::model::FailedSendRow;
use wasla_core::Result;

impl SqlStore {
    /// Record a failed send.
    pub(crate) async fn insert_failed_send(&self, row: &FailedSendRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO failed_sends (id, business_id, person_id, wamid, kind, preview, \
             error_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.id)
        .bind(row.business_id)
        .bind(row.person_id)
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

    /// The latest failed sends of a business number to a person, oldest first.
    pub(crate) async fn select_failed_sends(
        &self,
        business_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FailedSendRow>> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT id, business_id, person_id, wamid, kind, preview, error_code, created_at \
             FROM failed_sends WHERE business_id = $1 AND person_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(business_id)
        .bind(person_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        let mut out: Vec<FailedSendRow> = rows
            .iter()
            .map(|r| FailedSendRow {
                id: r.get(0),
                business_id: r.get(1),
                person_id: r.get(2),
                wamid: r.get(3),
                kind: r.get(4),
                preview: r.get(5),
                error_code: r.get(6),
                created_at: r.get(7),
            })
            .collect();
        out.reverse();
        Ok(out)
    }
}
