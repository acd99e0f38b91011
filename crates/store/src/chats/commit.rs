//! Storing a batch's messages: dedupe by `client_id`, membership checks, chat seqs, the
//! message and receipt rows, service windows, and what the messages cause (events, webhooks).

use super::rows::{self, MESSAGE_COLS};
use super::Caused;
use super::CHAT_MESSAGES;
use crate::buckets::{reserve, tally};
use crate::db::{Columns, Db};
use crate::integration::QueuedHook;
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use crate::work::Done;
use std::collections::{HashMap, HashSet};
use wasla_core::chats::{Committed, EventKind, MessageRow, NewEvent, NewMessage, ReceiptStatus};
use wasla_core::{Error, Result};

/// Messages of a batch that were stored, and those that repeat one of them.
pub(super) struct Stored {
    /// (job, seq in its chat).
    pub(super) fresh: Vec<(usize, i64)>,
    /// (job, job of the message whose `client_id` it repeats).
    pub(super) duplicates: Vec<(usize, usize)>,
}

/// Store the batch's messages: dedupe by `client_id`, check that senders are still members,
/// take chat seqs, insert messages and receipts, open service windows, queue webhooks, and
/// add the message events to `events`.
pub(super) async fn store_messages(
    conn: &mut Db<'_>,
    msgs: &[(usize, &NewMessage)],
    out: &mut [Option<Result<Done>>],
    caused: Caused<'_>,
) -> Result<Stored> {
    let Caused {
        events,
        owners,
        hooks,
    } = caused;
    let mut stored = Stored {
        fresh: vec![],
        duplicates: vec![],
    };
    if msgs.is_empty() {
        return Ok(stored);
    }
    let existing = stored_client_ids(conn, msgs).await?;
    let active = active_senders(conn, msgs).await?;
    let mut seen: HashMap<(i64, &str), usize> = HashMap::new();
    let mut fresh: Vec<(usize, &NewMessage)> = Vec::with_capacity(msgs.len());
    for &(job, new) in msgs {
        let m = &new.message;
        if let Some(cid) = m.client_id.as_deref() {
            if let Some(row) = existing.get(&(m.sender_id, cid.to_string())) {
                out[job] = Some(Ok(Done::Message(Committed::Duplicate(row.clone()))));
                continue;
            }
        }
        if !active.contains(&(m.chat_id, m.sender_id)) {
            out[job] = Some(Err(Error::Forbidden(
                "you are no longer a member of this chat".into(),
            )));
            continue;
        }
        if let Some(cid) = m.client_id.as_deref() {
            if let Some(&first) = seen.get(&(m.sender_id, cid)) {
                stored.duplicates.push((job, first));
                continue;
            }
            seen.insert((m.sender_id, cid), job);
        }
        fresh.push((job, new));
    }
    if fresh.is_empty() {
        return Ok(stored);
    }

    // Chat seqs and buckets, chats in id order; `updated_at` becomes the last message's time.
    let wanted = tally(
        fresh
            .iter()
            .map(|(_, new)| (new.message.chat_id, new.message.created_at)),
    );
    let mut next = reserve(conn, &CHAT_MESSAGES, &wanted).await?;
    // Each message with its seq and bucket, in the order of `fresh`.
    let mut placed: Vec<(&NewMessage, i64, i64)> = Vec::with_capacity(fresh.len());
    for &(job, new) in &fresh {
        let r = next.get_mut(&new.message.chat_id).expect("reserved");
        stored.fresh.push((job, r.next_seq));
        placed.push((new, r.next_seq, r.bucket));
        r.next_seq += 1;
    }

    // Message rows.
    for chunk in fixed_chunks(&placed, ROWS_PER_STATEMENT / 2) {
        let mut sql = Sql::new(
            "INSERT INTO messages (id, bucket, chat_id, seq, sender_id, kind, content, context, forwarded, client_id, media_id, \
             created_at, callback_data, category) VALUES ",
        );
        for (i, &(new, seq, bucket)) in chunk.iter().enumerate() {
            let m = &new.message;
            let content = serde_json::to_string(&m.content).map_err(Error::internal)?;
            let context = m
                .context
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(Error::internal)?;
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .int(m.id)
                .push(", ")
                .int(bucket)
                .push(", ")
                .int(m.chat_id)
                .push(", ")
                .int(seq)
                .push(", ")
                .int(m.sender_id)
                .push(", ")
                .string(m.content.kind())
                .push(", ")
                .string(&content)
                .push(", ")
                .opt_string(context.as_deref())
                .push(", ")
                .int(m.forwarded as i64)
                .push(", ")
                .opt_string(m.client_id.as_deref())
                .push(", ")
                .opt_int(new.media_id)
                .push(", ")
                .int(m.created_at)
                .push(", ")
                .opt_string(m.callback_data.as_deref())
                .push(", ")
                .opt_string(m.category.as_deref())
                .push(")");
        }
        sql.execute(conn).await?;
    }

    // Receipt rows, one per recipient.
    let receipts: Vec<(i64, i64, i64)> = fresh
        .iter()
        .flat_map(|(_, new)| {
            new.recipients
                .iter()
                .map(|r| (new.message.id, *r, new.message.created_at))
        })
        .collect();
    for chunk in fixed_chunks(&receipts, ROWS_PER_STATEMENT) {
        let mut sql =
            Sql::new("INSERT INTO receipts (message_id, account_id, status, updated_at) VALUES ");
        sql.list(chunk, |q, &(message, account, at)| {
            q.push("(")
                .int(message)
                .push(", ")
                .int(account)
                .push(", ")
                .int(ReceiptStatus::Sent.code())
                .push(", ")
                .int(at)
                .push(")");
        });
        sql.execute(conn).await?;
    }
    crate::billing::rollups::count_sent(conn, &fresh).await?;
    crate::billing::ledger::store_plans(conn, &fresh).await?;

    for &(job, new) in &fresh {
        let m = &new.message;
        for a in &new.audience {
            events.push((
                NewEvent {
                    account_id: *a,
                    kind: EventKind::Message,
                    chat_id: Some(m.chat_id),
                    message_id: Some(m.id),
                    payload: None,
                },
                m.created_at,
            ));
            owners.push(job);
        }
        for w in &new.webhooks {
            hooks.push(QueuedHook::new(w, m.created_at)?);
        }
        if let Some((business, person)) = new.opens_window {
            let mut sql = Sql::new(
                "INSERT INTO service_windows (business_id, person_id, last_inbound_at) VALUES (",
            );
            sql.int(business)
                .push(", ")
                .int(person)
                .push(", ")
                .int(m.created_at)
                .push(
                    ") ON CONFLICT (business_id, person_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at",
                );
            sql.execute(conn).await?;
        }
    }
    Ok(stored)
}

/// Messages already stored under the batch's (sender, `client_id`) keys.
pub(super) async fn stored_client_ids(
    conn: &mut Db<'_>,
    msgs: &[(usize, &NewMessage)],
) -> Result<HashMap<(i64, String), MessageRow>> {
    let keys: Vec<(i64, &str)> = msgs
        .iter()
        .filter_map(|(_, n)| {
            n.message
                .client_id
                .as_deref()
                .map(|c| (n.message.sender_id, c))
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::new();
    for chunk in fixed_chunks(&keys, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT ");
        sql.push(MESSAGE_COLS).push(" FROM (VALUES ");
        sql.list(chunk, |q, &(sender, cid)| {
            q.push("(").int(sender).push(", ").string(cid).push(")");
        });
        sql.push(
            ") AS v JOIN messages m ON m.sender_id = v.column1 AND m.client_id = v.column2 \
             JOIN accounts a ON a.id = m.sender_id WHERE m.client_id IS NOT NULL",
        );
        for r in sql.fetch_all(conn).await? {
            let row = rows::message(&r, 0)?;
            let key = (row.sender_id, row.client_id.clone().unwrap_or_default());
            found.insert(key, row);
        }
    }
    Ok(found)
}

/// The (chat, sender) pairs of the batch whose sender is a current member of the chat. Read
/// inside the transaction, so a member removed before this commit cannot send in it even if
/// a node still had the old membership cached.
pub(super) async fn active_senders(
    conn: &mut Db<'_>,
    msgs: &[(usize, &NewMessage)],
) -> Result<HashSet<(i64, i64)>> {
    let pairs: Vec<(i64, i64)> = msgs
        .iter()
        .map(|(_, n)| (n.message.chat_id, n.message.sender_id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut active = HashSet::with_capacity(pairs.len());
    for chunk in fixed_chunks(&pairs, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT cm.chat_id, cm.account_id FROM (VALUES ");
        sql.list(chunk, |q, &(chat, sender)| {
            q.push("(").int(chat).push(", ").int(sender).push(")");
        });
        sql.push(
            ") AS v JOIN chat_members cm ON cm.chat_id = v.column1 AND cm.account_id = v.column2 \
             WHERE cm.left_at IS NULL",
        );
        for r in sql.fetch_all(conn).await? {
            active.insert((r.col::<i64>(0)?, r.col::<i64>(1)?));
        }
    }
    Ok(active)
}
