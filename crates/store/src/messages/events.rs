//! Event streams: appending events, each account's in its own gap-free seq order, filed in
//! time buckets ([`super::buckets`]).

use super::*;

/// Append events, each with its own time, assigning each account's next seqs in order;
/// returns the seqs in input order.
pub(super) async fn insert_events(
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
