//! Sequences filed in time buckets, the machinery shared by an account's events
//! (`accounts::ACCOUNT_EVENTS`) and a chat's messages (`chats::CHAT_MESSAGES`): each domain
//! describes its owners' table with a [`SeqOwner`], and this module does the rest.
//!
//! Each owner (an account, a chat) numbers its rows with a gap-free seq, and the rows' index
//! is keyed `(bucket, owner, seq)`, where the bucket is a few seconds of time that never goes
//! backwards for the owner. Keyed by owner first, a group commit that reaches 2,000 owners
//! would write one index page per owner in the middle of the b-tree; keyed by bucket first, it
//! writes only the pages of the current bucket, a small range at the end. A buckets table
//! lists the buckets each owner has rows in, with the bucket's first seq (one row when the
//! owner's first row of a bucket is written), so reading an owner's rows by seq visits only
//! its own buckets, and in (bucket, seq) order, which is seq order.

use crate::db::{Columns, Db};
use crate::sql::{fixed_chunks, Sql, ROWS_PER_STATEMENT};
use std::collections::{BTreeMap, HashMap};
use wasla_core::{Error, Result};

/// The width of a bucket, in milliseconds. A commit writes about every leaf page of the
/// current bucket and one buckets row per owner whose bucket changed, so at a high rate wider
/// buckets cost the first and narrower ones the second; a few seconds keeps both small.
/// Changing it needs no migration: a bucket only has to grow per owner.
pub(crate) const BUCKET_MS: i64 = 4_000;

/// The bucket of owner `id` at time `at`. Each owner's bucket edges are shifted by an offset
/// of its own, so owners move to their next bucket at different moments: were the edges the
/// same for everyone, the commit right after each edge would write every active owner's new
/// buckets row at once, a spike of one scattered page per owner.
fn bucket_at(id: i64, at: i64) -> i64 {
    let offset = ((id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as i64 % BUCKET_MS;
    at.saturating_add(offset).div_euclid(BUCKET_MS)
}

/// Where an owner's seq counter, current bucket and bucket list live (a domain's constant).
pub(crate) struct SeqOwner {
    /// The owners' table.
    pub(crate) table: &'static str,
    /// Its seq counter column (the last seq given out).
    pub(crate) seq: &'static str,
    /// Its current bucket column (-1 before the first row).
    pub(crate) bucket: &'static str,
    /// Its column holding the current bucket's first seq.
    pub(crate) first: &'static str,
    /// Whether reserving also sets the owner's `updated_at`.
    pub(crate) touch: bool,
    /// The table listing each owner's buckets.
    pub(crate) buckets: &'static str,
    /// The owner's id column there and in the rows' table.
    pub(crate) owner: &'static str,
}

/// What one commit adds to an owner's sequence.
pub(crate) struct Want {
    /// How many seqs.
    count: i64,
    /// The latest time among the rows.
    at: i64,
}

/// Count the rows of each owner and their latest time, from (owner, time) pairs.
pub(crate) fn tally(rows: impl Iterator<Item = (i64, i64)>) -> BTreeMap<i64, Want> {
    let mut wanted: BTreeMap<i64, Want> = BTreeMap::new();
    for (owner, at) in rows {
        let w = wanted.entry(owner).or_insert(Want {
            count: 0,
            at: i64::MIN,
        });
        w.count += 1;
        w.at = w.at.max(at);
    }
    wanted
}

/// Where an owner's rows of this commit go.
pub(crate) struct Reserved {
    /// The next seq to give out.
    pub(crate) next_seq: i64,
    /// The bucket the rows are filed in.
    pub(crate) bucket: i64,
}

/// Reserve seqs per owner (rows locked in id order on PostgreSQL) and move each owner's bucket
/// forward to that of its latest row's time (never back, whatever the clock does). An owner
/// whose bucket changed gets its buckets row.
pub(crate) async fn reserve(
    conn: &mut Db<'_>,
    of: &SeqOwner,
    wanted: &BTreeMap<i64, Want>,
) -> Result<HashMap<i64, Reserved>> {
    let ids: Vec<i64> = wanted.keys().copied().collect();
    lock_in_order(conn, of.table, &ids).await?;
    let SeqOwner {
        table,
        seq,
        bucket,
        first,
        ..
    } = of;
    // Every SET expression sees the row as it was, so `{seq} + 1` is the first seq reserved
    // here and the comparison is with the owner's previous bucket.
    let touch = if of.touch {
        ", updated_at = v.column4"
    } else {
        ""
    };
    let set = format!(
        "UPDATE {table} SET {seq} = {seq} + v.column2, \
         {bucket} = CASE WHEN v.column3 > {bucket} THEN v.column3 ELSE {bucket} END, \
         {first} = CASE WHEN v.column3 > {bucket} THEN {seq} + 1 ELSE {first} END{touch} FROM (VALUES "
    );
    let returning = format!(
        ") AS v WHERE {table}.id = v.column1 \
         RETURNING {table}.id, {table}.{seq}, {table}.{bucket}, {table}.{first}"
    );
    let rows: Vec<(&i64, &Want)> = wanted.iter().collect();
    let mut out = HashMap::with_capacity(rows.len());
    let mut opened = Vec::new();
    for chunk in fixed_chunks(&rows, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&set);
        sql.list(chunk, |q, &(&id, w)| {
            q.push("(")
                .int(id)
                .push(", ")
                .int(w.count)
                .push(", ")
                .int(bucket_at(id, w.at))
                .push(", ")
                .int(w.at)
                .push(")");
        })
        .push(&returning);
        for r in sql.fetch_all(conn).await? {
            let (id, last, bucket, first): (i64, i64, i64, i64) =
                (r.col(0)?, r.col(1)?, r.col(2)?, r.col(3)?);
            let next_seq = last - wanted[&id].count + 1;
            if first == next_seq {
                opened.push((id, bucket, first));
            }
            out.insert(id, Reserved { next_seq, bucket });
        }
    }
    if let Some(missing) = ids.iter().find(|id| !out.contains_key(id)) {
        return Err(Error::internal(format!("{table} row {missing} not found")));
    }
    let insert = format!(
        "INSERT INTO {} ({}, bucket, first_seq) VALUES ",
        of.buckets, of.owner
    );
    for chunk in fixed_chunks(&opened, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&insert);
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

/// On PostgreSQL, lock the rows of `table` with these ids (ascending) in id order, so that
/// concurrent transactions (other nodes' writers, chat updates) always lock in the same order;
/// a multi-row UPDATE alone would lock in scan order. SQLite has a single writer.
async fn lock_in_order(conn: &mut Db<'_>, table: &str, ids: &[i64]) -> Result<()> {
    if ids.is_empty() || !conn.is_postgres() {
        return Ok(());
    }
    for chunk in fixed_chunks(ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("SELECT id FROM {table} WHERE id IN ("));
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(") ORDER BY id FOR UPDATE");
        sql.fetch_all(conn).await?;
    }
    Ok(())
}

/// Append to `sql` the bucket of `of` that holds seq `seq` of `owner`, or -1 when the owner
/// has no rows up to that seq: the last bucket whose first seq is at or below it, found by
/// walking the owner's buckets from the newest.
pub(crate) fn push_bucket_of(sql: &mut Sql, of: &SeqOwner, owner: i64, seq: i64) {
    sql.push(&format!(
        "COALESCE((SELECT s.bucket FROM {} s WHERE s.{} = ",
        of.buckets, of.owner
    ))
    .int(owner)
    .push(" AND s.first_seq <= ")
    .int(seq)
    .push(" ORDER BY s.bucket DESC LIMIT 1), -1)");
}

/// Append to `sql` the condition that `m` (a row of `of`'s rows table, joined as `m` to its
/// buckets table as `b`) belongs to `owner` and has a seq in `(after, up_to]`; only the
/// buckets that can hold those seqs are visited.
pub(crate) fn push_seq_range(sql: &mut Sql, of: &SeqOwner, owner: i64, after: i64, up_to: i64) {
    sql.push(&format!("b.{} = ", of.owner)).int(owner);
    sql.push(" AND b.bucket >= ");
    push_bucket_of(sql, of, owner, after.saturating_add(1));
    sql.push(" AND b.bucket <= ");
    push_bucket_of(sql, of, owner, up_to);
    sql.push(" AND m.seq > ")
        .int(after)
        .push(" AND m.seq <= ")
        .int(up_to);
}
