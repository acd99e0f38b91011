//! Event streams: reserving each account's next seqs, filing events in time buckets and
//! appending them.
//!
//! An account's events are keyed `(bucket, account_id, seq)`, where the bucket is a few
//! seconds of time that never goes backwards for the account. Keyed by account first, a group
//! commit that reaches 2,000 accounts would write one index page per account in the middle of
//! the b-tree; keyed by bucket first, it writes only the pages of the current bucket, a small
//! range at the end. `event_buckets` lists the buckets each account has events in (one row
//! when an account's first event of a bucket is written) with the bucket's first seq, so that
//! reading an account's events after a seq visits only its own buckets.

use super::*;

/// The width of an event bucket, in milliseconds. A commit writes about every leaf page of
/// the current bucket and one `event_buckets` row per account whose bucket changed, so at a
/// high event rate wider buckets cost the first and narrower ones the second; a few seconds
/// keeps both small. Changing it needs no migration: a bucket only has to grow per account.
pub(crate) const EVENT_BUCKET_MS: i64 = 4_000;

/// Where an account's events of this commit go.
struct Reserved {
    /// The first seq reserved.
    next_seq: i64,
    /// The bucket its events of this commit are filed in.
    bucket: i64,
}

/// Reserve event seqs per account (accounts locked in id order) and move each account's
/// bucket forward to the latest of its events' times (never back, whatever the clock does).
/// `wanted` holds account → (count, bucket of its latest event). An account whose bucket
/// changed gets its `event_buckets` row.
async fn reserve_seqs(
    conn: &mut Db<'_>,
    wanted: &BTreeMap<i64, (i64, i64)>,
) -> Result<HashMap<i64, Reserved>> {
    let ids: Vec<i64> = wanted.keys().copied().collect();
    lock_in_order(conn, "accounts", &ids).await?;
    let rows: Vec<(i64, i64, i64)> = wanted.iter().map(|(&a, &(n, b))| (a, n, b)).collect();
    let mut out = HashMap::with_capacity(rows.len());
    let mut opened = Vec::new();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT) {
        // Every SET expression sees the row as it was, so `event_seq + 1` is the first seq
        // reserved here and the comparison is with the account's previous bucket.
        let mut sql = Sql::new(
            "UPDATE accounts SET event_seq = event_seq + v.column2, \
             event_bucket = CASE WHEN v.column3 > event_bucket THEN v.column3 ELSE event_bucket END, \
             event_bucket_first = CASE WHEN v.column3 > event_bucket THEN event_seq + 1 ELSE event_bucket_first END \
             FROM (VALUES ",
        );
        sql.list(chunk, |q, &(id, n, bucket)| {
            q.push("(")
                .int(id)
                .push(", ")
                .int(n)
                .push(", ")
                .int(bucket)
                .push(")");
        })
        .push(
            ") AS v WHERE accounts.id = v.column1 \
             RETURNING accounts.id, accounts.event_seq, accounts.event_bucket, accounts.event_bucket_first",
        );
        for r in sql.fetch_all(conn).await? {
            let (id, last, bucket, first): (i64, i64, i64, i64) =
                (r.col(0)?, r.col(1)?, r.col(2)?, r.col(3)?);
            let next_seq = last - wanted[&id].0 + 1;
            if first == next_seq {
                opened.push((id, bucket, first));
            }
            out.insert(id, Reserved { next_seq, bucket });
        }
    }
    if let Some(missing) = ids.iter().find(|id| !out.contains_key(id)) {
        return Err(Error::internal(format!("account {missing} not found")));
    }
    for chunk in fixed_chunks(&opened, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new("INSERT INTO event_buckets (account_id, bucket, first_seq) VALUES ");
        sql.list(chunk, |q, &(id, bucket, first)| {
            q.push("(")
                .int(id)
                .push(", ")
                .int(bucket)
                .push(", ")
                .int(first)
                .push(")");
        });
        sql.execute(conn).await?;
    }
    Ok(out)
}

/// Append events, each with its own time, assigning each account's next seqs in order;
/// returns the seqs in input order.
pub(super) async fn insert_events(
    conn: &mut Db<'_>,
    events: &[(NewEvent, i64)],
) -> Result<Vec<EventSeq>> {
    if events.is_empty() {
        return Ok(vec![]);
    }
    let mut wanted: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (e, at) in events {
        let w = wanted.entry(e.account_id).or_insert((0, i64::MIN));
        w.0 += 1;
        w.1 = w.1.max(at.div_euclid(EVENT_BUCKET_MS));
    }
    let mut next = reserve_seqs(conn, &wanted).await?;
    let mut out = Vec::with_capacity(events.len());
    for chunk in fixed_chunks(events, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(
            "INSERT INTO events (bucket, account_id, seq, kind, chat_id, message_id, payload, created_at) VALUES ",
        );
        sql.list(chunk, |q, (e, at)| {
            let r = next.get_mut(&e.account_id).expect("reserved");
            out.push(EventSeq {
                account_id: e.account_id,
                seq: r.next_seq,
            });
            q.push("(")
                .int(r.bucket)
                .push(", ")
                .int(e.account_id)
                .push(", ")
                .int(r.next_seq)
                .push(", ")
                .string(e.kind.as_str())
                .push(", ")
                .opt_int(e.chat_id)
                .push(", ")
                .opt_int(e.message_id)
                .push(", ")
                .opt_string(e.payload.as_deref())
                .push(", ")
                .int(*at)
                .push(")");
            r.next_seq += 1;
        });
        sql.execute(conn).await?;
    }
    Ok(out)
}

/// Append events, assigning each account's next seqs; returns them in input order.
pub(crate) async fn append_events(
    conn: &mut Db<'_>,
    events: &[NewEvent],
    now: i64,
) -> Result<Vec<EventSeq>> {
    let timed: Vec<(NewEvent, i64)> = events.iter().map(|e| (e.clone(), now)).collect();
    insert_events(conn, &timed).await
}
