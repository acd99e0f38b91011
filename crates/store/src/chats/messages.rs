//! Messages, receipts and event streams as they are read, and the writes that go through
//! the group commit: the [`MessageStore`] impl.

use super::rows::{self, MESSAGE_COLS};
use super::CHAT_MESSAGES;
use crate::accounts::{append_events, ACCOUNT_EVENTS};
use crate::buckets::push_bucket_of;
use crate::db::Db;
use crate::sql::Sql;
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use std::collections::HashMap;
use wasla_core::accounts::EventSeq;
use wasla_core::chats::{
    Committed, EventKind, MessageRow, MessageStore, NewEvent, NewMessage, ReceiptStatus,
    ReceiptUpdate, StoredEvent,
};
use wasla_core::Result;

#[async_trait]
impl MessageStore for SqlStore {
    async fn last_inbound(&self, business_id: i64, person_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT last_inbound_at FROM service_windows WHERE business_id = $1 AND person_id = $2",
        )
        .bind(business_id)
        .bind(person_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn commit_message(&self, m: NewMessage) -> Result<Committed> {
        self.writer.commit_message(m).await
    }

    async fn update_receipts(&self, u: ReceiptUpdate) -> Result<Vec<StoredEvent>> {
        self.writer.update_receipts(u).await
    }

    async fn message(&self, id: i64) -> Result<Option<MessageRow>> {
        let row = sqlx::query(&format!("SELECT {MESSAGE_COLS} FROM messages m JOIN accounts a ON a.id = m.sender_id WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        row.map(|r| rows::message(&r, 0)).transpose()
    }

    async fn messages_before(
        &self,
        chat_id: i64,
        before_seq: Option<i64>,
        max_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MessageRow>> {
        // Newest first: the chat's buckets from the one holding the highest seq wanted,
        // walked backwards.
        let highest = before_seq
            .map_or(i64::MAX, |before| before.saturating_sub(1))
            .min(max_seq.unwrap_or(i64::MAX));
        let mut sql = Sql::new(&format!(
            "SELECT {MESSAGE_COLS} FROM message_buckets b \
             JOIN messages m ON m.bucket = b.bucket AND m.chat_id = b.chat_id JOIN accounts a ON a.id = m.sender_id \
             WHERE b.chat_id = "
        ));
        sql.int(chat_id).push(" AND m.seq <= ").int(highest);
        sql.push(" AND b.bucket <= ");
        push_bucket_of(&mut sql, &CHAT_MESSAGES, chat_id, highest);
        sql.push(" ORDER BY b.bucket DESC, m.seq DESC LIMIT ")
            .int(limit);
        let rows = sql.query().fetch_all(&self.read).await.map_err(db_err)?;
        let mut out = rows
            .iter()
            .map(|r| rows::message(r, 0))
            .collect::<Result<Vec<_>>>()?;
        out.reverse();
        Ok(out)
    }

    async fn receipts(&self, message_id: i64) -> Result<Vec<(i64, ReceiptStatus, i64)>> {
        let rows = sqlx::query("SELECT account_id, status, updated_at FROM receipts WHERE message_id = $1 ORDER BY account_id")
            .bind(message_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), ReceiptStatus::from_code(r.get(1)), r.get(2)))
            .collect())
    }

    async fn aggregate_status(&self, message_ids: &[i64]) -> Result<HashMap<i64, ReceiptStatus>> {
        if message_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT message_id, MIN(status) FROM receipts WHERE message_id IN ({}) GROUP BY message_id",
            placeholders(1, message_ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in message_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), ReceiptStatus::from_code(r.get(1))))
            .collect())
    }

    async fn events_after(
        &self,
        account_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        // The account's buckets from the one holding seq `after + 1`; a bucket's seqs all come
        // after the previous bucket's, so (bucket, seq) is seq order and needs no sort.
        let mut sql = Sql::new(&format!(
            "SELECT e.account_id, e.seq, e.kind, e.chat_id, e.payload, {MESSAGE_COLS} \
             FROM event_buckets b JOIN events e ON e.bucket = b.bucket AND e.account_id = b.account_id \
             LEFT JOIN messages m ON m.id = e.message_id AND e.kind = 'message' LEFT JOIN accounts a ON a.id = m.sender_id \
             WHERE b.account_id = "
        ));
        sql.int(account_id).push(" AND e.seq > ").int(after);
        sql.push(" AND b.bucket >= ");
        push_bucket_of(
            &mut sql,
            &ACCOUNT_EVENTS,
            account_id,
            after.saturating_add(1),
        );
        sql.push(" ORDER BY b.bucket, e.seq LIMIT ").int(limit);
        let rows = sql.query().fetch_all(&self.read).await.map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let kind = EventKind::parse(&r.get::<String, _>(2));
                let message = if kind == EventKind::Message && r.get::<Option<i64>, _>(5).is_some()
                {
                    Some(rows::message(r, 5)?)
                } else {
                    None
                };
                Ok(StoredEvent {
                    account_id: r.get(0),
                    seq: r.get(1),
                    kind,
                    chat_id: r.get(3),
                    message,
                    payload: r.get(4),
                })
            })
            .collect()
    }

    async fn append_events(&self, events: &[NewEvent], now: i64) -> Result<Vec<EventSeq>> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let seqs = append_events(&mut Db::Any(&mut tx), events, now).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(seqs)
    }

    async fn last_event_seq(&self, account_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT event_seq FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)).unwrap_or(0))
    }
}
