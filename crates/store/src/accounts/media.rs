//! Media metadata and who may see it: the [`MediaStore`] impl.

use super::rows::{self, MEDIA_COLS};
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use wasla_core::accounts::{MediaRow, MediaStore};
use wasla_core::Result;

#[async_trait]
impl MediaStore for SqlStore {
    async fn insert_media(&self, m: &MediaRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO media ({MEDIA_COLS}) VALUES ({})",
            placeholders(1, 7)
        ))
        .bind(m.id)
        .bind(m.owner_id)
        .bind(&m.mime_type)
        .bind(m.file_size)
        .bind(&m.sha256)
        .bind(&m.filename)
        .bind(m.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn media(&self, id: i64) -> Result<Option<MediaRow>> {
        let row = sqlx::query(&format!("SELECT {MEDIA_COLS} FROM media WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(rows::media))
    }

    async fn delete_media(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM media WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn media_visible_to(&self, media_id: i64, account_id: i64) -> Result<bool> {
        // A business number's photo is public like a business card (a person's profile photo
        // is judged by their privacy settings, in the accounts domain); chat media is for
        // members who could read the message; group photos for the group's members.
        let row = sqlx::query(
            "SELECT 1 FROM accounts WHERE photo = $1 AND kind = 'business' \
             UNION ALL SELECT 1 FROM messages m JOIN chat_members cm ON cm.chat_id = m.chat_id \
               WHERE m.media_id = $1 AND cm.account_id = $2 AND (cm.left_seq IS NULL OR m.seq <= cm.left_seq) \
             UNION ALL SELECT 1 FROM chats c JOIN chat_members cm ON cm.chat_id = c.id \
               WHERE c.photo = $1 AND cm.account_id = $2 \
             LIMIT 1",
        )
        .bind(media_id)
        .bind(account_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.is_some())
    }
}
