//! Each account's event stream (`events`, `event_buckets`, the `event_*` counters of
//! `accounts`): appending events in the account's own gap-free seq order, filed in time
//! buckets ([`crate::buckets`]). The other domains append their events through here.

use crate::buckets::{reserve, tally, SeqOwner};
use crate::db::Db;
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use wasla_core::accounts::EventSeq;
use wasla_core::chats::NewEvent;
use wasla_core::Result;

/// An account's event stream (`events`).
pub(crate) const ACCOUNT_EVENTS: SeqOwner = SeqOwner {
    table: "accounts",
    seq: "event_seq",
    bucket: "event_bucket",
    first: "event_bucket_first",
    touch: false,
    buckets: "event_buckets",
    owner: "account_id",
};

/// Append events, each with its own time, assigning each account's next seqs in order;
/// returns the seqs in input order.
pub(crate) async fn insert_events(
    conn: &mut Db<'_>,
    events: &[(NewEvent, i64)],
) -> Result<Vec<EventSeq>> {
    if events.is_empty() {
        return Ok(vec![]);
    }
    let wanted = tally(events.iter().map(|(e, at)| (e.account_id, *at)));
    let mut next = reserve(conn, &ACCOUNT_EVENTS, &wanted).await?;
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
