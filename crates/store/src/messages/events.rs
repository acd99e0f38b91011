//! Event streams: reserving each account's next seqs and appending events.

use super::*;

/// Reserve event seqs per account (accounts locked in id order); returns the first seq
/// reserved for each.
pub(super) async fn reserve_seqs(
    conn: &mut Db<'_>,
    counts: &BTreeMap<i64, i64>,
) -> Result<HashMap<i64, i64>> {
    let adds: Vec<(i64, i64, i64)> = counts.iter().map(|(&a, &n)| (a, n, 0)).collect();
    let last = add_to_counters(conn, "accounts", "event_seq", false, &adds).await?;
    counts
        .iter()
        .map(|(a, n)| match last.get(a) {
            Some(l) => Ok((*a, l - n + 1)),
            None => Err(Error::internal(format!("account {a} not found"))),
        })
        .collect()
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
    let mut counts = BTreeMap::new();
    for (e, _) in events {
        *counts.entry(e.account_id).or_insert(0i64) += 1;
    }
    let mut next = reserve_seqs(conn, &counts).await?;
    let mut out = Vec::with_capacity(events.len());
    for chunk in fixed_chunks(events, ROWS_PER_STATEMENT) {
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
            *seq += 1;
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
