//! What a business keeps about its contacts: labels on a customer across all of a WABA's
//! numbers (`contact_labels`); the [`ContactStore`] impl.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::tools::ContactStore;
use wasla_core::Result;

#[async_trait]
impl ContactStore for SqlStore {
    async fn set_contact_label(&self, label_id: i64, person_id: i64, on: bool) -> Result<()> {
        let sql = if on {
            "INSERT INTO contact_labels (label_id, person_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM contact_labels WHERE label_id = $1 AND person_id = $2"
        };
        sqlx::query(sql)
            .bind(label_id)
            .bind(person_id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn contact_labels(&self, waba_id: i64, person_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if person_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT c.person_id, c.label_id FROM contact_labels c \
             JOIN labels l ON l.id = c.label_id \
             WHERE l.waba_id = $1 AND c.person_id IN ({})",
            placeholders(2, person_ids.len())
        );
        let mut q = sqlx::query(&sql).bind(waba_id);
        for id in person_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
