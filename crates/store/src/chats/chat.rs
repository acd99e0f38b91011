//! Chats and memberships: the [`ChatStore`] impl.

use super::rows::{self, CHAT_COLS, MEMBER_COLS};
use super::CHAT_MESSAGES;
use crate::accounts::append_events;
use crate::buckets::push_seq_range;
use crate::db::Db;
use crate::sql::Sql;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::AnyConnection;
use sqlx::Row;
use wasla_core::accounts::EventSeq;
use wasla_core::chats::{ChatRow, ChatStore, MemberRow, NewEvent};
use wasla_core::Result;

async fn upsert_members(conn: &mut AnyConnection, members: &[MemberRow]) -> sqlx::Result<()> {
    for m in members {
        sqlx::query(
            "INSERT INTO chat_members (chat_id, account_id, role, joined_at, left_at, left_seq, last_read_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (chat_id, account_id) DO UPDATE SET \
             role = excluded.role, joined_at = excluded.joined_at, left_at = excluded.left_at, \
             left_seq = excluded.left_seq, last_read_seq = CASE WHEN excluded.last_read_seq > chat_members.last_read_seq \
             THEN excluded.last_read_seq ELSE chat_members.last_read_seq END",
        )
        .bind(m.chat_id)
        .bind(m.account_id)
        .bind(m.role.as_str())
        .bind(m.joined_at)
        .bind(m.left_at)
        .bind(m.left_seq)
        .bind(m.last_read_seq)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl ChatStore for SqlStore {
    async fn direct_chat(&self, key: &str) -> Result<Option<ChatRow>> {
        let row = sqlx::query(&format!(
            "SELECT {CHAT_COLS} FROM chats c WHERE c.direct_key = $1"
        ))
        .bind(key)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(rows::chat))
    }

    async fn insert_chat(
        &self,
        chat: &ChatRow,
        direct_key: Option<&str>,
        members: &[MemberRow],
        events: &[NewEvent],
    ) -> Result<Option<Vec<EventSeq>>> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let inserted = sqlx::query(
            "INSERT INTO chats (id, kind, direct_key, subject, photo, last_seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(chat.id)
        .bind(chat.kind.as_str())
        .bind(direct_key)
        .bind(&chat.subject)
        .bind(chat.photo)
        .bind(chat.last_seq)
        .bind(chat.created_at)
        .bind(chat.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if inserted.rows_affected() == 0 {
            return Ok(None);
        }
        upsert_members(&mut tx, members).await.map_err(db_err)?;
        let seqs = append_events(&mut Db::Any(&mut tx), events, chat.created_at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(seqs))
    }

    async fn update_chat(
        &self,
        chat: &ChatRow,
        members: &[MemberRow],
        events: &[NewEvent],
    ) -> Result<Vec<EventSeq>> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query("UPDATE chats SET subject = $1, photo = $2, updated_at = $3 WHERE id = $4")
            .bind(&chat.subject)
            .bind(chat.photo)
            .bind(chat.updated_at)
            .bind(chat.id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        upsert_members(&mut tx, members).await.map_err(db_err)?;
        let seqs = append_events(&mut Db::Any(&mut tx), events, chat.updated_at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(seqs)
    }

    async fn chat(&self, id: i64) -> Result<Option<ChatRow>> {
        let row = sqlx::query(&format!("SELECT {CHAT_COLS} FROM chats c WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(rows::chat))
    }

    async fn members(&self, chat_id: i64) -> Result<Vec<MemberRow>> {
        let rows = sqlx::query(&format!("SELECT {MEMBER_COLS} FROM chat_members cm JOIN accounts ma ON ma.id = cm.account_id WHERE cm.chat_id = $1 ORDER BY cm.joined_at, cm.account_id"))
            .bind(chat_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| rows::member(r, 0)).collect())
    }

    async fn member(&self, chat_id: i64, account_id: i64) -> Result<Option<MemberRow>> {
        let row = sqlx::query(&format!("SELECT {MEMBER_COLS} FROM chat_members cm JOIN accounts ma ON ma.id = cm.account_id WHERE cm.chat_id = $1 AND cm.account_id = $2"))
            .bind(chat_id)
            .bind(account_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| rows::member(&r, 0)))
    }

    async fn chats_of(&self, account_id: i64) -> Result<Vec<(ChatRow, MemberRow)>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHAT_COLS}, {MEMBER_COLS} FROM chat_members cm JOIN accounts ma ON ma.id = cm.account_id JOIN chats c ON c.id = cm.chat_id \
             WHERE cm.account_id = $1 ORDER BY c.updated_at DESC, c.id DESC"
        ))
        .bind(account_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (rows::chat(r), rows::member(r, 7)))
            .collect())
    }

    async fn unread_count(
        &self,
        chat_id: i64,
        account_id: i64,
        after_seq: i64,
        max_seq: Option<i64>,
    ) -> Result<i64> {
        let mut sql = Sql::new(
            "SELECT COUNT(*) FROM message_buckets b \
             JOIN messages m ON m.bucket = b.bucket AND m.chat_id = b.chat_id WHERE ",
        );
        push_seq_range(
            &mut sql,
            &CHAT_MESSAGES,
            chat_id,
            after_seq,
            max_seq.unwrap_or(i64::MAX),
        );
        sql.push(" AND m.sender_id <> ")
            .int(account_id)
            .push(" AND m.kind NOT IN ('reaction', 'system')");
        let row = sql.query().fetch_one(&self.read).await.map_err(db_err)?;
        Ok(row.get(0))
    }
}
