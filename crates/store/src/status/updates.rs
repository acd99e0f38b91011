//! SQL of Status updates (`status_updates`), their views and reactions (`status_views`),
//! people's mutes (`status_mutes`) and default audiences (`status_audiences`). The feed reads
//! by author (or WABA) and expiry, on indexes of exactly those columns. The
//! [`StatusUpdateStore`] impl.

use crate::sql::fixed_chunks;
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::status::{AudienceRow, StatusRow, StatusUpdateStore, StatusViewRow};
use wasla_core::Result;

const COLS: &str = "id, author_id, waba_id, kind, body, background, font, mime_type, file_size, \
                    audience_mode, audience_ids, posted_at, expires_at";
/// Most ids bound in one `IN` list.
const CHUNK: usize = 512;

fn ids_text(ids: &[i64]) -> String {
    let inner: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", inner.join(","))
}

fn ids_of(text: &str) -> Vec<i64> {
    text.trim_matches(['[', ']'])
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn status_row(r: &AnyRow) -> StatusRow {
    StatusRow {
        id: r.get(0),
        author_id: r.get(1),
        waba_id: r.get(2),
        kind: r.get(3),
        body: r.get(4),
        background: r.get(5),
        font: r.get(6),
        mime_type: r.get(7),
        file_size: r.get(8),
        audience: AudienceRow::from_parts(&r.get::<String, _>(9), ids_of(&r.get::<String, _>(10))),
        posted_at: r.get(11),
        expires_at: r.get(12),
    }
}

fn view_row(r: &AnyRow) -> StatusViewRow {
    StatusViewRow {
        status_id: r.get(0),
        viewer_id: r.get(1),
        viewed_at: r.get(2),
        reaction: r.get(3),
    }
}

/// Live updates of one column's values (`author_id` or `waba_id`).
async fn live_by(s: &SqlStore, column: &str, ids: &[i64], now: i64) -> Result<Vec<StatusRow>> {
    let mut out = Vec::new();
    for chunk in fixed_chunks(ids, CHUNK) {
        let sql = format!(
            "SELECT {COLS} FROM status_updates WHERE {column} IN ({}) AND expires_at > $1",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(now);
        for id in chunk {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&s.read).await.map_err(db_err)?;
        out.extend(rows.iter().map(status_row));
    }
    Ok(out)
}

#[async_trait]
impl StatusUpdateStore for SqlStore {
    async fn insert_status(&self, row: &StatusRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO status_updates ({COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(row.id)
        .bind(row.author_id)
        .bind(row.waba_id)
        .bind(&row.kind)
        .bind(&row.body)
        .bind(row.background.as_deref())
        .bind(row.font.as_deref())
        .bind(row.mime_type.as_deref())
        .bind(row.file_size)
        .bind(row.audience.mode())
        .bind(ids_text(row.audience.ids()))
        .bind(row.posted_at)
        .bind(row.expires_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn status(&self, id: i64) -> Result<Option<StatusRow>> {
        let row = sqlx::query(&format!("SELECT {COLS} FROM status_updates WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(status_row))
    }

    async fn live_statuses(
        &self,
        authors: &[i64],
        wabas: &[i64],
        now: i64,
    ) -> Result<Vec<StatusRow>> {
        let mut out = live_by(self, "author_id", authors, now).await?;
        for r in live_by(self, "waba_id", wabas, now).await? {
            if !authors.contains(&r.author_id) {
                out.push(r);
            }
        }
        out.sort_by_key(|r| (r.posted_at, r.id));
        Ok(out)
    }

    async fn delete_status(&self, id: i64) -> Result<bool> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query("DELETE FROM status_views WHERE status_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let done = sqlx::query("DELETE FROM status_updates WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn expired_statuses(&self, now: i64, limit: i64) -> Result<Vec<StatusRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM status_updates WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(status_row).collect())
    }

    async fn put_status_view(&self, status_id: i64, viewer: i64, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO status_views (status_id, viewer_id, viewed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (status_id, viewer_id) DO NOTHING",
        )
        .bind(status_id)
        .bind(viewer)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_status_reaction(
        &self,
        status_id: i64,
        viewer: i64,
        at: i64,
        reaction: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO status_views (status_id, viewer_id, viewed_at, reaction) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (status_id, viewer_id) DO UPDATE SET reaction = excluded.reaction",
        )
        .bind(status_id)
        .bind(viewer)
        .bind(at)
        .bind(reaction)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn views_by(&self, viewer: i64, status_ids: &[i64]) -> Result<Vec<StatusViewRow>> {
        let mut out = Vec::new();
        for chunk in fixed_chunks(status_ids, CHUNK) {
            let sql = format!(
                "SELECT status_id, viewer_id, viewed_at, reaction FROM status_views \
                 WHERE viewer_id = $1 AND status_id IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(viewer);
            for id in chunk {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
            out.extend(rows.iter().map(view_row));
        }
        Ok(out)
    }

    async fn views_of(&self, status_id: i64) -> Result<Vec<StatusViewRow>> {
        let rows = sqlx::query(
            "SELECT status_id, viewer_id, viewed_at, reaction FROM status_views \
             WHERE status_id = $1 ORDER BY viewed_at DESC, viewer_id",
        )
        .bind(status_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(view_row).collect())
    }

    async fn set_status_mute(&self, owner: i64, author: i64, muted: bool) -> Result<()> {
        let sql = if muted {
            "INSERT INTO status_mutes (owner_id, author_id) VALUES ($1, $2) \
             ON CONFLICT (owner_id, author_id) DO NOTHING"
        } else {
            "DELETE FROM status_mutes WHERE owner_id = $1 AND author_id = $2"
        };
        sqlx::query(sql)
            .bind(owner)
            .bind(author)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn status_mutes(&self, owner: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT author_id FROM status_mutes WHERE owner_id = $1")
            .bind(owner)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn default_audience(&self, owner: i64) -> Result<Option<AudienceRow>> {
        let row = sqlx::query("SELECT mode, ids FROM status_audiences WHERE account_id = $1")
            .bind(owner)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| {
            AudienceRow::from_parts(&r.get::<String, _>(0), ids_of(&r.get::<String, _>(1)))
        }))
    }

    async fn put_default_audience(&self, owner: i64, audience: &AudienceRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO status_audiences (account_id, mode, ids) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET mode = excluded.mode, ids = excluded.ids",
        )
        .bind(owner)
        .bind(audience.mode())
        .bind(ids_text(audience.ids()))
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
