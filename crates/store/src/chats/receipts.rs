//! Receipts moving forward within a batch, and the status and read events that result.

use super::Caused;
use super::CHAT_MESSAGES;
use crate::buckets::push_seq_range;
use crate::db::{Columns, Db};
use crate::integration::QueuedHook;
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use crate::work::Done;
use std::collections::{HashMap, HashSet};
use wasla_core::accounts::AccountKind;
use wasla_core::chats::{
    EventKind, NewEvent, ReceiptStatus, ReceiptUpdate, StatusPayload, WebhookEvent, WebhookWork,
};
use wasla_core::ids::wamid;
use wasla_core::{Error, Result};

/// Move the batch's receipts forward and add the resulting events (status events for senders,
/// read events for readers) to `events`. Consecutive receipt updates by message id run as one
/// statement; a read up to a seq runs on its own. Returns the receipt jobs still to be
/// answered with their events.
pub(super) async fn move_receipts(
    conn: &mut Db<'_>,
    updates: &[(usize, &ReceiptUpdate)],
    out: &mut [Option<Result<Done>>],
    caused: Caused<'_>,
) -> Result<Vec<usize>> {
    let Caused {
        events,
        owners,
        hooks,
    } = caused;
    // Message ids each job changed, with the status each reached, in job order.
    let mut changed: Vec<(usize, Vec<(i64, ReceiptStatus)>)> = Vec::with_capacity(updates.len());
    let mut run: Vec<(usize, &ReceiptUpdate)> = Vec::new();
    let mut run_pairs: HashSet<(i64, i64)> = HashSet::new();
    // Where each read job's position moved to (its `up_to_seq` clamped to the chat).
    let mut read_to: HashMap<usize, i64> = HashMap::new();
    for &(job, u) in updates {
        match (u.status, u.up_to_seq) {
            (ReceiptStatus::Read, Some(up_to)) => {
                flush_run(conn, &mut run, &mut run_pairs, &mut changed).await?;
                match read_up_to(conn, u, up_to).await? {
                    Some((to, ids)) => {
                        read_to.insert(job, to);
                        changed.push((job, ids));
                    }
                    None => out[job] = Some(Ok(Done::Receipts(vec![]))),
                }
            }
            _ if u.message_ids.is_empty() => out[job] = Some(Ok(Done::Receipts(vec![]))),
            _ => {
                // A job touching a receipt this run already touches waits for the next run,
                // so it sees the first one's effect, as it would one after the other.
                if u.message_ids
                    .iter()
                    .any(|id| run_pairs.contains(&(*id, u.reader_id)))
                {
                    flush_run(conn, &mut run, &mut run_pairs, &mut changed).await?;
                }
                run_pairs.extend(u.message_ids.iter().map(|id| (*id, u.reader_id)));
                run.push((job, u));
            }
        }
    }
    flush_run(conn, &mut run, &mut run_pairs, &mut changed).await?;

    // The messages' senders, kinds and aggregate status once the batch's receipts moved.
    let ids: Vec<i64> = changed
        .iter()
        .flat_map(|(_, ids)| ids.iter().map(|(id, _)| *id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut info: HashMap<i64, ChangedMessage> = HashMap::with_capacity(ids.len());
    for chunk in fixed_chunks(&ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "SELECT m.id, m.sender_id, m.chat_id, (SELECT MIN(r.status) FROM receipts r WHERE r.message_id = m.id), \
             acc.kind, m.callback_data, m.category, m.seq FROM messages m JOIN accounts acc ON acc.id = m.sender_id \
             WHERE m.id IN (",
        );
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(")");
        for r in sql.fetch_all(conn).await? {
            info.insert(
                r.col(0)?,
                ChangedMessage {
                    sender: r.col(1)?,
                    chat: r.col(2)?,
                    aggregate: ReceiptStatus::from_code(r.col(3)?),
                    business: AccountKind::parse(&r.col::<String>(4)?) == AccountKind::Business,
                    callback_data: r.col(5)?,
                    category: r.col(6)?,
                    seq: r.col(7)?,
                },
            );
        }
    }

    let by_job: HashMap<usize, &ReceiptUpdate> = updates.iter().copied().collect();
    let mut answered = Vec::with_capacity(changed.len());
    let mut rollup: Vec<crate::billing::rollups::Moved<'_>> = Vec::new();
    // Deliveries of business messages, rated in this transaction.
    let mut deliveries: Vec<crate::billing::ledger::Delivery> = Vec::new();
    for (job, mut ids) in changed {
        let u = by_job[&job];
        // Stable: a `delivered` implied by a read stays before that `read`.
        ids.sort_by_key(|(id, _)| info.get(id).map(|m| m.seq));
        for (id, status) in ids {
            let Some(m) = info.get(&id) else { continue };
            let payload = StatusPayload {
                id: wamid(id),
                status: status.as_str().into(),
                wa_id: u.reader_wa_id.clone(),
                aggregate: m.aggregate.as_str().into(),
                timestamp: u.now,
            };
            let payload = serde_json::to_string(&payload).map_err(Error::internal)?;
            events.push((
                NewEvent {
                    account_id: m.sender,
                    kind: EventKind::Status,
                    chat_id: Some(m.chat),
                    message_id: Some(id),
                    payload: Some(payload),
                },
                u.now,
            ));
            owners.push(job);
            if m.business {
                deliveries.push((id, u.reader_id, u.now));
                rollup.push(crate::billing::rollups::Moved {
                    message_id: id,
                    sender_id: m.sender,
                    reader_wa_id: &u.reader_wa_id,
                    status,
                    at: u.now,
                });
                let event = WebhookEvent::Status {
                    message_id: Some(id),
                    wamid: wamid(id),
                    recipient_id: Some(u.reader_id),
                    recipient_wa_id: u.reader_wa_id.clone(),
                    status: status.as_str().into(),
                    timestamp: u.now,
                    error_code: None,
                    category: m.category.clone(),
                    callback_data: m.callback_data.clone(),
                };
                let work = WebhookWork {
                    business_id: m.sender,
                    waba_id: None,
                    event,
                };
                hooks.push(QueuedHook::new(&work, u.now)?);
            }
        }
        if let Some(&up_to) = read_to.get(&job) {
            events.push((
                NewEvent {
                    account_id: u.reader_id,
                    kind: EventKind::Read,
                    chat_id: Some(u.chat_id),
                    message_id: None,
                    payload: Some(up_to.to_string()),
                },
                u.now,
            ));
            owners.push(job);
        }
        answered.push(job);
    }
    crate::billing::rollups::count_receipts(conn, &rollup).await?;
    crate::billing::ledger::rate_deliveries(conn, &deliveries).await?;
    Ok(answered)
}

/// A message whose receipts moved, as its status events need it.
pub(super) struct ChangedMessage {
    /// Its sender.
    pub(super) sender: i64,
    /// Its chat.
    pub(super) chat: i64,
    /// The lowest status among its receipts.
    pub(super) aggregate: ReceiptStatus,
    /// Whether the sender is a business number (whose webhooks hear of it).
    pub(super) business: bool,
    /// The business's callback data, echoed in status webhooks.
    pub(super) callback_data: Option<String>,
    /// Its pricing category, echoed in status webhooks.
    pub(super) category: Option<String>,
    /// Its seq in the chat.
    pub(super) seq: i64,
}

/// Apply a run of receipt updates by message id as one statement per chunk:
/// `UPDATE receipts … FROM (VALUES (message, reader, status, at), …)`, moving a receipt only
/// forward. Records which messages each job changed.
pub(super) async fn flush_run(
    conn: &mut Db<'_>,
    run: &mut Vec<(usize, &ReceiptUpdate)>,
    run_pairs: &mut HashSet<(i64, i64)>,
    changed: &mut Vec<(usize, Vec<(i64, ReceiptStatus)>)>,
) -> Result<()> {
    if run.is_empty() {
        return Ok(());
    }
    // (message, reader, status, at, job); a pair appears once per run.
    let mut rows: Vec<(i64, i64, i64, i64, usize)> = Vec::new();
    let mut owner: HashMap<(i64, i64), (usize, ReceiptStatus)> = HashMap::new();
    for &(job, u) in run.iter() {
        for id in &u.message_ids {
            if owner.insert((*id, u.reader_id), (job, u.status)).is_none() {
                rows.push((*id, u.reader_id, u.status.code(), u.now, job));
            }
        }
    }
    let mut per_job: HashMap<usize, Vec<(i64, ReceiptStatus)>> = HashMap::new();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "UPDATE receipts SET status = v.column3, updated_at = v.column4 FROM (VALUES ",
        );
        sql.list(chunk, |q, &(message, reader, status, at, _)| {
            q.push("(")
                .int(message)
                .push(", ")
                .int(reader)
                .push(", ")
                .int(status)
                .push(", ")
                .int(at)
                .push(")");
        });
        sql.push(
            ") AS v WHERE receipts.message_id = v.column1 AND receipts.account_id = v.column2 \
             AND receipts.status > 0 AND receipts.status < v.column3 RETURNING message_id, account_id",
        );
        for r in sql.fetch_all(conn).await? {
            let key: (i64, i64) = (r.col(0)?, r.col(1)?);
            if let Some(&(job, status)) = owner.get(&key) {
                per_job.entry(job).or_default().push((key.0, status));
            }
        }
    }
    for &(job, _) in run.iter() {
        changed.push((job, per_job.remove(&job).unwrap_or_default()));
    }
    run.clear();
    run_pairs.clear();
    Ok(())
}

/// A read up to a seq (at most the chat's last message, or the reader's last one if they
/// left): moves the reader's position and marks everything up to it read. Returns the new
/// position and the messages whose receipts changed with the status each reached, or `None`
/// when the position does not move. A message read before its delivery was acknowledged (the
/// reader's `read` overtook its `delivered`, or a device only reads) is delivered first, so
/// the sender and the business's webhooks always see `delivered` before `read`.
pub(super) async fn read_up_to(
    conn: &mut Db<'_>,
    u: &ReceiptUpdate,
    up_to: i64,
) -> Result<Option<(i64, Vec<(i64, ReceiptStatus)>)>> {
    let mut sql = Sql::new(
        "SELECT cm.last_read_seq, COALESCE(cm.left_seq, c.last_seq) FROM chat_members cm \
         JOIN chats c ON c.id = cm.chat_id WHERE cm.chat_id = ",
    );
    sql.int(u.chat_id)
        .push(" AND cm.account_id = ")
        .int(u.reader_id);
    let (prev, up_to): (i64, i64) = match sql.fetch_all(conn).await?.first() {
        Some(r) => (r.col(0)?, up_to.min(r.col(1)?)),
        None => return Ok(None),
    };
    if up_to <= prev {
        return Ok(None);
    }
    let mut sql = Sql::new("UPDATE chat_members SET last_read_seq = ");
    sql.int(up_to)
        .push(" WHERE chat_id = ")
        .int(u.chat_id)
        .push(" AND account_id = ")
        .int(u.reader_id);
    sql.execute(conn).await?;
    let mut moved = vec![];
    for (from, to) in [
        (ReceiptStatus::Sent, ReceiptStatus::Delivered),
        (ReceiptStatus::Delivered, u.status),
    ] {
        let mut sql = Sql::new("UPDATE receipts SET status = ");
        sql.int(to.code())
            .push(", updated_at = ")
            .int(u.now)
            .push(" WHERE account_id = ")
            .int(u.reader_id)
            .push(" AND status = ")
            .int(from.code())
            .push(
                " AND message_id IN (SELECT m.id FROM message_buckets b \
                 JOIN messages m ON m.bucket = b.bucket AND m.chat_id = b.chat_id WHERE ",
            );
        push_seq_range(&mut sql, &CHAT_MESSAGES, u.chat_id, prev, up_to);
        sql.push(") RETURNING message_id");
        for r in sql.fetch_all(conn).await? {
            moved.push((r.col::<i64>(0)?, to));
        }
    }
    Ok(Some((up_to, moved)))
}
