//! Messages, receipts and event streams: the reads, and the batch body that the group-commit
//! writer runs ([`apply_batch`]). A batch of queued message commits and receipt updates costs a
//! handful of multi-row statements whatever its size; the SQL is the same on both backends.

use crate::rows::{self, MESSAGE_COLS};
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::AnyConnection;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};
use wasla_core::ids::wamid;
use wasla_core::model::*;
use wasla_core::store::MessageStore;
use wasla_core::{Error, Result};

/// Most rows per multi-row statement.
const ROWS_PER_STATEMENT: usize = 400;
/// Most rows per statement whose rows bind strings. SQLite resolves `$n` parameters by a
/// linear search (when preparing and again when binding), so a statement's cost grows with
/// the square of its parameters: batch statements write integers into the SQL and bind only
/// strings, and keep those to a few hundred.
const STRING_ROWS_PER_STATEMENT: usize = 100;

fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// A batch statement: integers are written into the SQL text (they cannot inject anything),
/// strings are bound as `$n`. Not cached as a prepared statement, since its text is one-off.
struct Sql {
    text: String,
    strings: Vec<String>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            strings: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn int(&mut self, v: i64) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.text, "{v}");
        self
    }

    fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int(v),
            None => self.push("NULL"),
        }
    }

    fn string(&mut self, v: &str) -> &mut Self {
        use std::fmt::Write;
        self.strings.push(v.to_string());
        let _ = write!(self.text, "${}", self.strings.len());
        self
    }

    fn opt_string(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.string(v),
            None => self.push("NULL"),
        }
    }

    /// A comma-separated list: `item` writes each element.
    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) -> &mut Self {
        for (i, t) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            item(self, t);
        }
        self
    }

    fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text).persistent(false);
        for s in &self.strings {
            q = q.bind(s.as_str());
        }
        q
    }

    async fn execute(&self, conn: &mut AnyConnection) -> sqlx::Result<()> {
        self.query().execute(&mut *conn).await.map(|_| ())
    }

    async fn fetch_all(&self, conn: &mut AnyConnection) -> sqlx::Result<Vec<sqlx::any::AnyRow>> {
        self.query().fetch_all(&mut *conn).await
    }
}

/// On PostgreSQL, lock the rows of `table` with these ids (ascending) in id order, so that
/// concurrent transactions (other nodes' writers, chat updates) always lock in the same order;
/// a multi-row UPDATE alone would lock in scan order. SQLite has a single writer.
async fn lock_in_order(conn: &mut AnyConnection, table: &str, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() || !is_postgres(conn) {
        return Ok(());
    }
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("SELECT id FROM {table} WHERE id IN ("));
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(") ORDER BY id FOR UPDATE");
        sql.fetch_all(conn).await?;
    }
    Ok(())
}

/// Add to a counter column of several rows, one statement per chunk:
/// `UPDATE t SET c = c + CASE id WHEN … END [, updated_at = CASE id WHEN … END] WHERE id IN (…)
/// RETURNING id, c`. `adds` holds (id, amount, updated_at) in id order; returns id → new value.
async fn add_to_counters(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    touch: bool,
    adds: &[(i64, i64, i64)],
) -> sqlx::Result<HashMap<i64, i64>> {
    let ids: Vec<i64> = adds.iter().map(|a| a.0).collect();
    lock_in_order(conn, table, &ids).await?;
    let mut out = HashMap::with_capacity(adds.len());
    for chunk in adds.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("UPDATE {table} SET {column} = {column} + CASE id"));
        for &(id, n, _) in chunk {
            sql.push(" WHEN ").int(id).push(" THEN ").int(n);
        }
        sql.push(" END");
        if touch {
            sql.push(", updated_at = CASE id");
            for &(id, _, at) in chunk {
                sql.push(" WHEN ").int(id).push(" THEN ").int(at);
            }
            sql.push(" END");
        }
        sql.push(" WHERE id IN (")
            .list(chunk, |q, a| {
                q.int(a.0);
            })
            .push(&format!(") RETURNING id, {column}"));
        for r in sql.fetch_all(conn).await? {
            out.insert(r.get::<i64, _>(0), r.get::<i64, _>(1));
        }
    }
    Ok(out)
}

/// Reserve event seqs per account (accounts locked in id order); returns the first seq
/// reserved for each.
async fn reserve_seqs(
    conn: &mut AnyConnection,
    counts: &BTreeMap<i64, i64>,
) -> sqlx::Result<HashMap<i64, i64>> {
    let adds: Vec<(i64, i64, i64)> = counts.iter().map(|(&a, &n)| (a, n, 0)).collect();
    let last = add_to_counters(conn, "accounts", "event_seq", false, &adds).await?;
    counts
        .iter()
        .map(|(a, n)| match last.get(a) {
            Some(l) => Ok((*a, l - n + 1)),
            None => Err(sqlx::Error::RowNotFound),
        })
        .collect()
}

/// Append events, each with its own time, assigning each account's next seqs in order;
/// returns the seqs in input order.
async fn insert_events(
    conn: &mut AnyConnection,
    events: &[(NewEvent, i64)],
) -> sqlx::Result<Vec<EventSeq>> {
    if events.is_empty() {
        return Ok(vec![]);
    }
    let mut counts = BTreeMap::new();
    for (e, _) in events {
        *counts.entry(e.account_id).or_insert(0i64) += 1;
    }
    let mut next = reserve_seqs(conn, &counts).await?;
    let mut out = Vec::with_capacity(events.len());
    for chunk in events.chunks(STRING_ROWS_PER_STATEMENT * 2) {
        let mut sql = Sql::new(
            "INSERT INTO events (account_id, seq, kind, chat_id, message_id, payload, created_at) VALUES ",
        );
        sql.list(chunk, |q, (e, at)| {
            let seq = next.get_mut(&e.account_id).expect("reserved");
            out.push(EventSeq {
                account_id: e.account_id,
                seq: *seq,
            });
            q.push("(")
                .int(e.account_id)
                .push(", ")
                .int(*seq)
                .push(", '")
                .push(e.kind.as_str())
                .push("', ")
                .opt_int(e.chat_id)
                .push(", ")
                .opt_int(e.message_id)
                .push(", ")
                .opt_string(e.payload.as_deref())
                .push(", ")
                .int(*at)
                .push(")");
            *seq += 1;
        });
        sql.execute(conn).await?;
    }
    Ok(out)
}

/// Append events, assigning each account's next seqs; returns them in input order.
pub(crate) async fn append_events(
    conn: &mut AnyConnection,
    events: &[NewEvent],
    now: i64,
) -> sqlx::Result<Vec<EventSeq>> {
    let timed: Vec<(NewEvent, i64)> = events.iter().map(|e| (e.clone(), now)).collect();
    insert_events(conn, &timed).await
}

/// One queued write, as the writer hands it over.
pub(crate) enum Work<'a> {
    /// A message with its receipts, events and outbox rows.
    Message(&'a NewMessage),
    /// Receipts moving forward.
    Receipts(&'a ReceiptUpdate),
}

// Outcomes move once, to their caller; their size does not matter.
#[allow(clippy::large_enum_variant)]
/// What one write produced.
pub(crate) enum Done {
    /// The message was stored (or was there already).
    Message(Committed),
    /// The events the receipts caused.
    Receipts(Vec<StoredEvent>),
}

/// Run a batch of writes in the caller's transaction, with the effect of running them one
/// after the other in order: chat seqs and every account's event seqs stay gap-free,
/// `client_id`s dedupe (within the batch too), receipts only move forward. A job can fail
/// alone (its sender is no longer a member); an `Err` means the batch must be rolled back.
pub(crate) async fn apply_batch(
    conn: &mut AnyConnection,
    work: &[Work<'_>],
) -> Result<Vec<Result<Done>>> {
    let mut out: Vec<Option<Result<Done>>> = work.iter().map(|_| None).collect();
    // Every event of the batch with its time and the job it belongs to, in job order.
    let mut events: Vec<(NewEvent, i64)> = Vec::new();
    let mut owners: Vec<usize> = Vec::new();

    let msgs: Vec<(usize, &NewMessage)> = work
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Work::Message(m) => Some((i, *m)),
            Work::Receipts(_) => None,
        })
        .collect();
    let stored = store_messages(conn, &msgs, &mut out, &mut events, &mut owners).await?;

    let updates: Vec<(usize, &ReceiptUpdate)> = work
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Work::Receipts(u) => Some((i, *u)),
            Work::Message(_) => None,
        })
        .collect();
    let mut receipt_jobs = Vec::new();
    if !updates.is_empty() {
        receipt_jobs = move_receipts(conn, &updates, &mut out, &mut events, &mut owners).await?;
    }

    let seqs = insert_events(conn, &events).await.map_err(db_err)?;
    let mut per_job: HashMap<usize, Vec<StoredEvent>> = HashMap::new();
    let mut per_msg: HashMap<usize, Vec<EventSeq>> = HashMap::new();
    for (((e, _), s), job) in events.into_iter().zip(seqs).zip(owners) {
        match work[job] {
            Work::Message(_) => per_msg.entry(job).or_default().push(s),
            Work::Receipts(_) => per_job.entry(job).or_default().push(StoredEvent {
                account_id: s.account_id,
                seq: s.seq,
                kind: e.kind,
                chat_id: e.chat_id,
                message: None,
                payload: e.payload,
            }),
        }
    }
    for job in receipt_jobs {
        out[job] = Some(Ok(Done::Receipts(per_job.remove(&job).unwrap_or_default())));
    }
    let mut rows: HashMap<usize, MessageRow> = HashMap::new();
    for (job, seq) in stored.fresh {
        let Work::Message(new) = work[job] else {
            unreachable!("a fresh message is a message job")
        };
        let mut message = new.message.clone();
        message.seq = seq;
        rows.insert(job, message.clone());
        out[job] = Some(Ok(Done::Message(Committed::New {
            message,
            events: per_msg.remove(&job).unwrap_or_default(),
        })));
    }
    for (job, first) in stored.duplicates {
        let original = rows
            .get(&first)
            .cloned()
            .ok_or_else(|| Error::internal("duplicate of an unstored message"))?;
        out[job] = Some(Ok(Done::Message(Committed::Duplicate(original))));
    }
    out.into_iter()
        .map(|o| o.ok_or_else(|| Error::internal("a job of the batch got no outcome")))
        .collect()
}

/// Messages of a batch that were stored, and those that repeat one of them.
struct Stored {
    /// (job, seq in its chat).
    fresh: Vec<(usize, i64)>,
    /// (job, job of the message whose `client_id` it repeats).
    duplicates: Vec<(usize, usize)>,
}

/// Store the batch's messages: dedupe by `client_id`, check that senders are still members,
/// take chat seqs, insert messages and receipts, open service windows, queue webhooks, and
/// add the message events to `events`.
async fn store_messages(
    conn: &mut AnyConnection,
    msgs: &[(usize, &NewMessage)],
    out: &mut [Option<Result<Done>>],
    events: &mut Vec<(NewEvent, i64)>,
    owners: &mut Vec<usize>,
) -> Result<Stored> {
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

    // Chat seqs, chats in id order; `updated_at` becomes the last message's time.
    let mut per_chat: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (_, new) in &fresh {
        let e = per_chat.entry(new.message.chat_id).or_insert((0, 0));
        e.0 += 1;
        e.1 = new.message.created_at;
    }
    let adds: Vec<(i64, i64, i64)> = per_chat.iter().map(|(&c, &(n, at))| (c, n, at)).collect();
    let last = add_to_counters(conn, "chats", "last_seq", true, &adds)
        .await
        .map_err(db_err)?;
    let mut next: HashMap<i64, i64> = HashMap::with_capacity(per_chat.len());
    for (chat, (n, _)) in &per_chat {
        let last = last
            .get(chat)
            .ok_or_else(|| Error::internal(format!("chat {chat} not found")))?;
        next.insert(*chat, last - n + 1);
    }
    for &(job, new) in &fresh {
        let seq = next.get_mut(&new.message.chat_id).expect("counted");
        stored.fresh.push((job, *seq));
        *seq += 1;
    }

    // Message rows.
    let with_seqs: Vec<(&NewMessage, i64)> = fresh
        .iter()
        .zip(&stored.fresh)
        .map(|((_, new), (_, seq))| (*new, *seq))
        .collect();
    for chunk in with_seqs.chunks(STRING_ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO messages (id, chat_id, seq, sender_id, kind, content, context, forwarded, client_id, media_id, \
             created_at, callback_data, category) VALUES ",
        );
        for (i, &(new, seq)) in chunk.iter().enumerate() {
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
        sql.execute(conn).await.map_err(db_err)?;
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
    for chunk in receipts.chunks(ROWS_PER_STATEMENT) {
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
        sql.execute(conn).await.map_err(db_err)?;
    }

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
    }
    Ok(stored)
}

/// Messages already stored under the batch's (sender, `client_id`) keys.
async fn stored_client_ids(
    conn: &mut AnyConnection,
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
    for chunk in keys.chunks(STRING_ROWS_PER_STATEMENT * 2) {
        let mut sql = Sql::new("SELECT ");
        sql.push(MESSAGE_COLS).push(" FROM (VALUES ");
        sql.list(chunk, |q, &(sender, cid)| {
            q.push("(").int(sender).push(", ").string(cid).push(")");
        });
        sql.push(
            ") AS v JOIN messages m ON m.sender_id = v.column1 AND m.client_id = v.column2 \
             JOIN accounts a ON a.id = m.sender_id WHERE m.client_id IS NOT NULL",
        );
        for r in sql.fetch_all(conn).await.map_err(db_err)? {
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
async fn active_senders(
    conn: &mut AnyConnection,
    msgs: &[(usize, &NewMessage)],
) -> Result<HashSet<(i64, i64)>> {
    let pairs: Vec<(i64, i64)> = msgs
        .iter()
        .map(|(_, n)| (n.message.chat_id, n.message.sender_id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut active = HashSet::with_capacity(pairs.len());
    for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("SELECT cm.chat_id, cm.account_id FROM (VALUES ");
        sql.list(chunk, |q, &(chat, sender)| {
            q.push("(").int(chat).push(", ").int(sender).push(")");
        });
        sql.push(
            ") AS v JOIN chat_members cm ON cm.chat_id = v.column1 AND cm.account_id = v.column2 \
             WHERE cm.left_at IS NULL",
        );
        for r in sql.fetch_all(conn).await.map_err(db_err)? {
            active.insert((r.get::<i64, _>(0), r.get::<i64, _>(1)));
        }
    }
    Ok(active)
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

/// Move the batch's receipts forward and add the resulting events (status events for senders,
/// read events for readers) to `events`. Consecutive receipt updates by message id run as one
/// statement; a read up to a seq runs on its own. Returns the receipt jobs still to be
/// answered with their events.
async fn move_receipts(
    conn: &mut AnyConnection,
    updates: &[(usize, &ReceiptUpdate)],
    out: &mut [Option<Result<Done>>],
    events: &mut Vec<(NewEvent, i64)>,
    owners: &mut Vec<usize>,
) -> Result<Vec<usize>> {
    // Message ids each job changed, in job order.
    let mut changed: Vec<(usize, Vec<i64>)> = Vec::with_capacity(updates.len());
    let mut run: Vec<(usize, &ReceiptUpdate)> = Vec::new();
    let mut run_pairs: HashSet<(i64, i64)> = HashSet::new();
    for &(job, u) in updates {
        match (u.status, u.up_to_seq) {
            (ReceiptStatus::Read, Some(up_to)) => {
                flush_run(conn, &mut run, &mut run_pairs, &mut changed).await?;
                match read_up_to(conn, u, up_to).await? {
                    Some(ids) => changed.push((job, ids)),
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
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut info: HashMap<i64, ChangedMessage> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "SELECT m.id, m.sender_id, m.chat_id, (SELECT MIN(r.status) FROM receipts r WHERE r.message_id = m.id), \
             acc.kind, m.callback_data, m.category, m.seq FROM messages m JOIN accounts acc ON acc.id = m.sender_id \
             WHERE m.id IN (",
        );
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(")");
        for r in sql.fetch_all(conn).await.map_err(db_err)? {
            info.insert(
                r.get(0),
                ChangedMessage {
                    sender: r.get(1),
                    chat: r.get(2),
                    aggregate: ReceiptStatus::from_code(r.get(3)),
                    business: AccountKind::parse(&r.get::<String, _>(4)) == AccountKind::Business,
                    callback_data: r.get(5),
                    category: r.get(6),
                    seq: r.get(7),
                },
            );
        }
    }

    let by_job: HashMap<usize, &ReceiptUpdate> = updates.iter().copied().collect();
    let mut answered = Vec::with_capacity(changed.len());
    for (job, mut ids) in changed {
        let u = by_job[&job];
        ids.sort_by_key(|id| info.get(id).map(|m| m.seq));
        for id in ids {
            let Some(m) = info.get(&id) else { continue };
            let payload = StatusPayload {
                id: wamid(id),
                status: u.status.as_str().into(),
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
                let event = WebhookEvent::Status {
                    message_id: Some(id),
                    wamid: wamid(id),
                    recipient_id: Some(u.reader_id),
                    recipient_wa_id: u.reader_wa_id.clone(),
                    status: u.status.as_str().into(),
                    timestamp: u.now,
                    error_code: None,
                    category: m.category.clone(),
                    callback_data: m.callback_data.clone(),
                };
                enqueue_webhook(
                    conn,
                    &WebhookWork {
                        business_id: m.sender,
                        waba_id: None,
                        event,
                    },
                    u.now,
                )
                .await?;
            }
        }
        if let (ReceiptStatus::Read, Some(up_to)) = (u.status, u.up_to_seq) {
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
    Ok(answered)
}

/// A message whose receipts moved, as its status events need it.
struct ChangedMessage {
    sender: i64,
    chat: i64,
    aggregate: ReceiptStatus,
    business: bool,
    callback_data: Option<String>,
    category: Option<String>,
    seq: i64,
}

/// Apply a run of receipt updates by message id as one statement per chunk:
/// `UPDATE receipts … FROM (VALUES (message, reader, status, at), …)`, moving a receipt only
/// forward. Records which messages each job changed.
async fn flush_run(
    conn: &mut AnyConnection,
    run: &mut Vec<(usize, &ReceiptUpdate)>,
    run_pairs: &mut HashSet<(i64, i64)>,
    changed: &mut Vec<(usize, Vec<i64>)>,
) -> Result<()> {
    if run.is_empty() {
        return Ok(());
    }
    // (message, reader, status, at, job); a pair appears once per run.
    let mut rows: Vec<(i64, i64, i64, i64, usize)> = Vec::new();
    let mut owner: HashMap<(i64, i64), usize> = HashMap::new();
    for &(job, u) in run.iter() {
        for id in &u.message_ids {
            if owner.insert((*id, u.reader_id), job).is_none() {
                rows.push((*id, u.reader_id, u.status.code(), u.now, job));
            }
        }
    }
    let mut per_job: HashMap<usize, Vec<i64>> = HashMap::new();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
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
        for r in sql.fetch_all(conn).await.map_err(db_err)? {
            let key: (i64, i64) = (r.get(0), r.get(1));
            if let Some(job) = owner.get(&key) {
                per_job.entry(*job).or_default().push(key.0);
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

/// A read up to a seq: moves the reader's position and marks everything up to it read.
/// Returns the messages whose receipts changed, or `None` when the position does not move.
async fn read_up_to(
    conn: &mut AnyConnection,
    u: &ReceiptUpdate,
    up_to: i64,
) -> Result<Option<Vec<i64>>> {
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
        return Ok(None);
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
    let ids = sqlx::query(
        "UPDATE receipts SET status = $1, updated_at = $2 WHERE account_id = $3 AND status IN (1, 2) AND message_id IN \
         (SELECT id FROM messages WHERE chat_id = $4 AND seq > $5 AND seq <= $6) RETURNING message_id",
    )
    .bind(u.status.code())
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
    .collect();
    Ok(Some(ids))
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
