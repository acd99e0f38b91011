//! Message templates (`templates`): one row per WABA, name and language; the
//! [`TemplateStore`] impl.

use super::outbox::enqueue_webhook;
use crate::db::Db;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::chats::WebhookWork;
use wasla_core::integration::{TemplateFilter, TemplateRow, TemplateStore};
use wasla_core::Result;

const COLS: &str =
    "id, waba_id, name, language, category, parameter_format, components, status, rejected_reason, created_at, updated_at";

fn row(r: &AnyRow) -> TemplateRow {
    TemplateRow {
        id: r.get(0),
        waba_id: r.get(1),
        name: r.get(2),
        language: r.get(3),
        category: r.get(4),
        parameter_format: r.get(5),
        components: r.get(6),
        status: r.get(7),
        rejected_reason: r.get(8),
        created_at: r.get(9),
        updated_at: r.get(10),
    }
}

#[async_trait]
impl TemplateStore for SqlStore {
    async fn create_template(&self, t: &TemplateRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO templates ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(t.id)
        .bind(t.waba_id)
        .bind(&t.name)
        .bind(&t.language)
        .bind(&t.category)
        .bind(&t.parameter_format)
        .bind(&t.components)
        .bind(&t.status)
        .bind(&t.rejected_reason)
        .bind(t.created_at)
        .bind(t.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn template(&self, id: i64) -> Result<Option<TemplateRow>> {
        let r = sqlx::query(&format!("SELECT {COLS} FROM templates WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(row))
    }

    async fn template_by_name(
        &self,
        waba_id: i64,
        name: &str,
        language: &str,
    ) -> Result<Option<TemplateRow>> {
        let r = sqlx::query(&format!(
            "SELECT {COLS} FROM templates WHERE waba_id = $1 AND name = $2 AND language = $3"
        ))
        .bind(waba_id)
        .bind(name)
        .bind(language)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(row))
    }

    async fn templates(
        &self,
        waba_id: i64,
        f: &TemplateFilter,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<TemplateRow>> {
        // NULL filters match everything; the same statement serves every combination.
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM templates WHERE waba_id = $1 AND id > $2 \
             AND ($3 IS NULL OR name = $3) AND ($4 IS NULL OR status = $4) \
             AND ($5 IS NULL OR category = $5) AND ($6 IS NULL OR language = $6) ORDER BY id LIMIT $7"
        ))
        .bind(waba_id)
        .bind(after.unwrap_or(0))
        .bind(&f.name)
        .bind(&f.status)
        .bind(&f.category)
        .bind(&f.language)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(row).collect())
    }

    async fn count_templates(&self, waba_id: i64) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM templates WHERE waba_id = $1")
            .bind(waba_id)
            .fetch_one(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.get(0))
    }

    async fn save_template(&self, t: &TemplateRow, webhook: Option<&WebhookWork>) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query(
            "UPDATE templates SET category = $1, components = $2, status = $3, rejected_reason = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&t.category)
        .bind(&t.components)
        .bind(&t.status)
        .bind(&t.rejected_reason)
        .bind(t.updated_at)
        .bind(t.id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if let Some(w) = webhook {
            enqueue_webhook(&mut Db::Any(&mut tx), w, t.updated_at).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn delete_templates(&self, waba_id: i64, name: &str, id: Option<i64>) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM templates WHERE waba_id = $1 AND name = $2 AND ($3 IS NULL OR id = $3)",
        )
        .bind(waba_id)
        .bind(name)
        .bind(id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn set_auto_approve(&self, waba_id: i64, on: bool) -> Result<()> {
        sqlx::query("UPDATE wabas SET auto_approve_templates = $1 WHERE id = $2")
            .bind(on as i64)
            .bind(waba_id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
