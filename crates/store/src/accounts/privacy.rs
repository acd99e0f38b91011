//! People's privacy settings (`privacy_settings`) and the facts they are judged by: who shares
//! a chat with whom (`chat_members`, `chats`) and whose profile photo a media object is. The
//! [`PrivacyStore`] impl.

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::accounts::{Audience, PrivacyRow, PrivacyStore, Relation};
use wasla_core::Result;

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn privacy_settings(&self, ids: &[i64]) -> Result<Vec<(i64, PrivacyRow)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT account_id, last_seen, photo, about FROM privacy_settings WHERE account_id IN ({})",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| {
                let row = PrivacyRow {
                    last_seen: Audience::parse(&r.get::<String, _>(1)),
                    photo: Audience::parse(&r.get::<String, _>(2)),
                    about: Audience::parse(&r.get::<String, _>(3)),
                };
                (r.get(0), row)
            })
            .collect())
    }

    async fn save_privacy(&self, account_id: i64, row: &PrivacyRow, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO privacy_settings (account_id, last_seen, photo, about, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET \
             last_seen = excluded.last_seen, photo = excluded.photo, about = excluded.about, \
             updated_at = excluded.updated_at",
        )
        .bind(account_id)
        .bind(row.last_seen.as_str())
        .bind(row.photo.as_str())
        .bind(row.about.as_str())
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn relations(&self, viewer: i64, subjects: &[i64]) -> Result<Vec<(i64, Relation)>> {
        if subjects.is_empty() {
            return Ok(Vec::new());
        }
        // The viewer's chats (by the members' account index), then each subject's membership
        // in them (by the primary key); a direct chat among them makes a contact.
        let sql = format!(
            "SELECT them.account_id, CAST(MAX(CASE WHEN c.kind = 'direct' THEN 1 ELSE 0 END) AS BIGINT) \
             FROM chat_members me \
             JOIN chat_members them ON them.chat_id = me.chat_id \
             JOIN chats c ON c.id = me.chat_id \
             WHERE me.account_id = $1 AND me.left_at IS NULL AND them.left_at IS NULL \
             AND them.account_id IN ({}) GROUP BY them.account_id",
            placeholders(2, subjects.len())
        );
        let mut q = sqlx::query(&sql).bind(viewer);
        for id in subjects {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| {
                let direct = r.get::<i64, _>(1) == 1;
                let rel = if direct {
                    Relation::Contact
                } else {
                    Relation::SharesChat
                };
                (r.get(0), rel)
            })
            .collect())
    }

    async fn photo_owners(&self, media_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT id FROM accounts WHERE photo = $1")
            .bind(media_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
