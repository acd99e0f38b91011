//! Messages, receipts and event streams: the reads, and the transaction bodies that the
//! group-commit writer runs (`apply_message`, `apply_receipts`, `append_events`).

use crate::rows::{self, MESSAGE_COLS};
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::AnyConnection;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use wasla_core::ids::wamid;
use wasla_core::model::*;
use wasla_core::store::MessageStore;
use wasla_core::Result;

/// Reserve `count` event seqs per account (in account order, so concurrent transactions lock
/// rows in the same order); returns the first seq reserved for each.
async fn reserve_seqs(
    conn: &mut AnyConnection,
    counts: &BTreeMap<i64, i64>,
) -> sqlx::Result<HashMap<i64, i64>> {
    let mut first = HashMap::with_capacity(counts.len());
    for (&account, &n) in counts {
        let last: i64 = sqlx::query(
            "UPDATE accounts SET event_seq = event_seq + $1 WHERE id = $2 RETURNING event_seq",
        )
        .bind(n)
        .bind(account)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
        first.insert(account, last - n + 1);
    }
    Ok(first)
}

/// Append events, assigning each account's next seqs; returns them in input order.
pub(crate) async fn append_events(
    conn: &mut AnyConnection,
    events: &[NewEvent],
    now: i64,
) -> sqlx::Result<Vec<EventSeq>> {
    if events.is_empty() {
        return Ok(vec![]);
    }
    let mut counts = BTreeMap::new();
    for e in events {
        *counts.entry(e.account_id).or_insert(0i64) += 1;
    }
    let mut next = reserve_seqs(conn, &counts).await?;
    let mut out = Vec::with_capacity(events.len());
    for chunk in events.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO events (account_id, seq, kind, chat_id, message_id, payload, created_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            let seq = next.get_mut(&e.account_id).expect("reserved");
            out.push(EventSeq {
                account_id: e.account_id,
                seq: *seq,
            });
            q = q
                .bind(e.account_id)
                .bind(*seq)
                .bind(e.kind.as_str())
                .bind(e.chat_id)
                .bind(e.message_id)
                .bind(e.payload.clone())
                .bind(now);
            *seq += 1;
        }
        q.execute(&mut *conn).await?;
    }
    Ok(out)
}

/// Store one message with its receipts, events and outbox rows.
pub(crate) async fn apply_message(conn: &mut AnyConnection, new: &NewMessage) -> Result<Committed> {
    let m = &new.message;
    if let Some(cid) = &m.client_id {
        let dup = sqlx::query(&format!(
            "SELECT {MESSAGE_COLS} FROM messages m JOIN accounts a ON a.id = m.sender_id WHERE m.sender_id = $1 AND m.client_id = $2"
        ))
        .bind(m.sender_id)
        .bind(cid)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
        if let Some(row) = dup {
            return Ok(Committed::Duplicate(rows::message(&row, 0)?));
        }
    }
    let seq: i64 = sqlx::query("UPDATE chats SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 RETURNING last_seq")
        .bind(m.created_at)
        .bind(m.chat_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?
        .get(0);
    let content = serde_json::to_string(&m.content).map_err(wasla_core::Error::internal)?;
    let context = m
        .context
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(wasla_core::Error::internal)?;
    sqlx::query(
        "INSERT INTO messages (id, chat_id, seq, sender_id, kind, content, context, forwarded, client_id, media_id, \
         created_at, callback_data, category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(m.id)
    .bind(m.chat_id)
    .bind(seq)
    .bind(m.sender_id)
    .bind(m.content.kind())
    .bind(content)
    .bind(context)
    .bind(m.forwarded as i64)
    .bind(&m.client_id)
    .bind(new.media_id)
    .bind(m.created_at)
    .bind(&m.callback_data)
    .bind(&m.category)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    for chunk in new.recipients.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 4 + 1, 4)))
            .collect();
        let sql = format!(
            "INSERT INTO receipts (message_id, account_id, status, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(m.id)
                .bind(*r)
                .bind(ReceiptStatus::Sent.code())
                .bind(m.created_at);
        }
        q.execute(&mut *conn).await.map_err(db_err)?;
    }
    let events: Vec<NewEvent> = new
        .audience
        .iter()
        .map(|a| NewEvent {
            account_id: *a,
            kind: EventKind::Message,
            chat_id: Some(m.chat_id),
            message_id: Some(m.id),
            payload: None,
        })
        .collect();
    let events = append_events(conn, &events, m.created_at)
        .await
        .map_err(db_err)?;
    for w in &new.webhooks {
        enqueue_webhook(conn, w, m.created_at).await?;
    }
    if let Some((business, person)) = new.opens_window {
        sqlx::query(
            "INSERT INTO service_windows (business_id, person_id, last_inbound_at) VALUES ($1, $2, $3) \
             ON CONFLICT (business_id, person_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at",
        )
        .bind(business)
        .bind(person)
        .bind(m.created_at)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    let mut message = m.clone();
    message.seq = seq;
    Ok(Committed::New { message, events })
}

/// One delivery row per app of the business number's WABA.
pub(crate) async fn enqueue_webhook(
    conn: &mut AnyConnection,
    w: &WebhookWork,
    now: i64,
) -> Result<()> {
    let event = serde_json::to_string(w).map_err(wasla_core::Error::internal)?;
    sqlx::query(
        "INSERT INTO outbox (app_id, event, next_attempt_at, created_at) \
         SELECT ap.id, $1, $2, $2 FROM apps ap \
         WHERE ap.waba_id = COALESCE($4, (SELECT waba_id FROM accounts WHERE id = $3))",
    )
    .bind(event)
    .bind(now)
    .bind(w.business_id)
    .bind(w.waba_id)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Move receipts forward and write the resulting events.
pub(crate) async fn apply_receipts(
    conn: &mut AnyConnection,
    u: &ReceiptUpdate,
) -> Result<Vec<StoredEvent>> {
    let status = u.status.code();
    let changed: Vec<i64> = match (u.status, u.up_to_seq) {
        (ReceiptStatus::Read, Some(up_to)) => {
            let prev: i64 = sqlx::query(
                "SELECT last_read_seq FROM chat_members WHERE chat_id = $1 AND account_id = $2",
            )
            .bind(u.chat_id)
            .bind(u.reader_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?
            .map(|r| r.get(0))
            .unwrap_or(0);
            if up_to <= prev {
                return Ok(vec![]);
            }
            sqlx::query(
                "UPDATE chat_members SET last_read_seq = $1 WHERE chat_id = $2 AND account_id = $3",
            )
            .bind(up_to)
            .bind(u.chat_id)
            .bind(u.reader_id)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
            sqlx::query(
                "UPDATE receipts SET status = $1, updated_at = $2 WHERE account_id = $3 AND status IN (1, 2) AND message_id IN \
                 (SELECT id FROM messages WHERE chat_id = $4 AND seq > $5 AND seq <= $6) RETURNING message_id",
            )
            .bind(status)
            .bind(u.now)
            .bind(u.reader_id)
            .bind(u.chat_id)
            .bind(prev)
            .bind(up_to)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| r.get(0))
            .collect()
        }
        _ => {
            if u.message_ids.is_empty() {
                return Ok(vec![]);
            }
            let sql = format!(
                "UPDATE receipts SET status = $1, updated_at = $2 WHERE account_id = $3 AND status > 0 AND status < $1 \
                 AND message_id IN ({}) RETURNING message_id",
                placeholders(4, u.message_ids.len())
            );
            let mut q = sqlx::query(&sql).bind(status).bind(u.now).bind(u.reader_id);
            for id in &u.message_ids {
                q = q.bind(*id);
            }
            q.fetch_all(&mut *conn)
                .await
                .map_err(db_err)?
                .iter()
                .map(|r| r.get(0))
                .collect()
        }
    };
    let mut events = Vec::new();
    if !changed.is_empty() {
        let sql = format!(
            "SELECT m.id, m.sender_id, m.chat_id, (SELECT MIN(r.status) FROM receipts r WHERE r.message_id = m.id), \
             acc.kind, m.callback_data, m.category FROM messages m JOIN accounts acc ON acc.id = m.sender_id \
             WHERE m.id IN ({}) ORDER BY m.seq",
            placeholders(1, changed.len())
        );
        let mut q = sqlx::query(&sql);
        for id in &changed {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await.map_err(db_err)? {
            let (id, sender, chat): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
            let aggregate = ReceiptStatus::from_code(r.get(3));
            let payload = StatusPayload {
                id: wamid(id),
                status: u.status.as_str().into(),
                wa_id: u.reader_wa_id.clone(),
                aggregate: aggregate.as_str().into(),
                timestamp: u.now,
            };
            let payload = serde_json::to_string(&payload).map_err(wasla_core::Error::internal)?;
            events.push(NewEvent {
                account_id: sender,
                kind: EventKind::Status,
                chat_id: Some(chat),
                message_id: Some(id),
                payload: Some(payload),
            });
            if AccountKind::parse(&r.get::<String, _>(4)) == AccountKind::Business {
                let event = WebhookEvent::Status {
                    message_id: Some(id),
                    wamid: wamid(id),
                    recipient_id: Some(u.reader_id),
                    recipient_wa_id: u.reader_wa_id.clone(),
                    status: u.status.as_str().into(),
                    timestamp: u.now,
                    error_code: None,
                    category: r.get(6),
                    callback_data: r.get(5),
                };
                enqueue_webhook(
                    conn,
                    &WebhookWork {
                        business_id: sender,
                        waba_id: None,
                        event,
                    },
                    u.now,
                )
                .await?;
            }
        }
    }
    if let (ReceiptStatus::Read, Some(up_to)) = (u.status, u.up_to_seq) {
        events.push(NewEvent {
            account_id: u.reader_id,
            kind: EventKind::Read,
            chat_id: Some(u.chat_id),
            message_id: None,
            payload: Some(up_to.to_string()),
        });
    }
    let seqs = append_events(conn, &events, u.now).await.map_err(db_err)?;
    Ok(events
        .into_iter()
        .zip(seqs)
        .map(|(e, s)| StoredEvent {
            account_id: s.account_id,
            seq: s.seq,
            kind: e.kind,
            chat_id: e.chat_id,
            message: None,
            payload: e.payload,
        })
        .collect())
}

#[async_trait]
impl MessageStore for SqlStore {
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
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLS} FROM messages m JOIN accounts a ON a.id = m.sender_id \
             WHERE m.chat_id = $1 AND m.seq < $2 AND m.seq <= $3 ORDER BY m.seq DESC LIMIT $4"
        ))
        .bind(chat_id)
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(max_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
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
        let rows = sqlx::query(&format!(
            "SELECT e.account_id, e.seq, e.kind, e.chat_id, e.payload, {MESSAGE_COLS} FROM events e \
             LEFT JOIN messages m ON m.id = e.message_id AND e.kind = 'message' LEFT JOIN accounts a ON a.id = m.sender_id \
             WHERE e.account_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3"
        ))
        .bind(account_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
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
        let seqs = append_events(&mut tx, events, now).await.map_err(db_err)?;
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
