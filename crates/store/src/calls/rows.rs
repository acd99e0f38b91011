//! SQL of calls and of the live call each person is in.

use crate::{db_err, SqlStore};
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::calls::{CallRow, CallState, EndReason, Placed};
use wasla_core::Result;
use wasla_types::calls::CallMedia;

const CALL: &str = "SELECT c.id, c.chat_id, c.caller_id, c.callee_id, c.media, c.state, \
    c.end_reason, c.caller_device, c.callee_device, c.created_at, c.answered_at, c.ended_at, \
    c.caller_seen_at, c.callee_seen_at FROM calls c";

fn call_row(r: &AnyRow) -> CallRow {
    CallRow {
        id: r.get(0),
        chat_id: r.get(1),
        caller_id: r.get(2),
        callee_id: r.get(3),
        media: CallMedia::parse(&r.get::<String, _>(4)),
        state: CallState::parse(&r.get::<String, _>(5)),
        end_reason: r
            .get::<Option<String>, _>(6)
            .as_deref()
            .and_then(EndReason::parse),
        caller_device: r.get(7),
        callee_device: r.get(8),
        created_at: r.get(9),
        answered_at: r.get(10),
        ended_at: r.get(11),
        caller_seen_at: r.get(12),
        callee_seen_at: r.get(13),
    }
}

async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: &CallRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO calls (id, chat_id, caller_id, callee_id, media, state, end_reason, \
         caller_device, callee_device, created_at, answered_at, ended_at, caller_seen_at, \
         callee_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(c.id)
    .bind(c.chat_id)
    .bind(c.caller_id)
    .bind(c.callee_id)
    .bind(c.media.as_str())
    .bind(c.state.as_str())
    .bind(c.end_reason.map(|r| r.as_str()))
    .bind(c.caller_device)
    .bind(c.callee_device)
    .bind(c.created_at)
    .bind(c.answered_at)
    .bind(c.ended_at)
    .bind(c.caller_seen_at)
    .bind(c.callee_seen_at)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Claim a person for a call; false if they are in another.
async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    call_id: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO call_parties (account_id, call_id) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(call_id)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() == 1)
}

/// Place a call (see `CallStore::place_call`). Both people are claimed in id order, so two
/// people calling each other at once wait for each other instead of deadlocking.
pub(super) async fn place(s: &SqlStore, call: &CallRow) -> Result<Placed> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
    let mut order = [call.caller_id, call.callee_id];
    order.sort_unstable();
    for account in order {
        if claim(&mut tx, account, call.id).await? {
            continue;
        }
        tx.rollback().await.map_err(db_err)?;
        if account == call.caller_id || live_of(s, call.caller_id).await?.is_some() {
            return Ok(Placed::CallerBusy);
        }
        let busy = CallRow {
            state: CallState::Ended,
            end_reason: Some(EndReason::Busy),
            ended_at: Some(call.created_at),
            ..call.clone()
        };
        let mut tx = s.write.begin().await.map_err(db_err)?;
        insert(&mut tx, &busy).await?;
        tx.commit().await.map_err(db_err)?;
        return Ok(Placed::CalleeBusy);
    }
    insert(&mut tx, call).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Placed::Ringing)
}

/// A call by id.
pub(super) async fn call(s: &SqlStore, id: i64) -> Result<Option<CallRow>> {
    let row = sqlx::query(&format!("{CALL} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&s.read)
        .await
        .map_err(db_err)?;
    Ok(row.as_ref().map(call_row))
}

/// Compare and set on the state; an ended call frees its people in the same transaction.
pub(super) async fn update(s: &SqlStore, from: CallState, c: &CallRow) -> Result<bool> {
    let mut tx = s.write.begin().await.map_err(db_err)?;
    let done = sqlx::query(
        "UPDATE calls SET state = $3, media = $4, end_reason = $5, callee_device = $6, \
         answered_at = $7, ended_at = $8, \
         caller_seen_at = CASE WHEN caller_seen_at > $9 THEN caller_seen_at ELSE $9 END, \
         callee_seen_at = CASE WHEN callee_seen_at > $10 THEN callee_seen_at ELSE $10 END \
         WHERE id = $1 AND state = $2",
    )
    .bind(c.id)
    .bind(from.as_str())
    .bind(c.state.as_str())
    .bind(c.media.as_str())
    .bind(c.end_reason.map(|r| r.as_str()))
    .bind(c.callee_device)
    .bind(c.answered_at)
    .bind(c.ended_at)
    .bind(c.caller_seen_at)
    .bind(c.callee_seen_at)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    if done.rows_affected() != 1 {
        tx.rollback().await.map_err(db_err)?;
        return Ok(false);
    }
    if c.state == CallState::Ended {
        sqlx::query("DELETE FROM call_parties WHERE call_id = $1")
            .bind(c.id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(true)
}

/// A side of a live call was heard from.
pub(super) async fn touch(s: &SqlStore, id: i64, caller: bool, at: i64) -> Result<()> {
    let sql = if caller {
        "UPDATE calls SET caller_seen_at = $2 WHERE id = $1 AND state <> 'ended' \
         AND caller_seen_at < $2"
    } else {
        "UPDATE calls SET callee_seen_at = $2 WHERE id = $1 AND state <> 'ended' \
         AND callee_seen_at < $2"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(at)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// The live call of an account.
pub(super) async fn live_of(s: &SqlStore, account_id: i64) -> Result<Option<CallRow>> {
    let row = sqlx::query(&format!(
        "{CALL} JOIN call_parties p ON p.call_id = c.id WHERE p.account_id = $1"
    ))
    .bind(account_id)
    .fetch_optional(&s.read)
    .await
    .map_err(db_err)?;
    Ok(row
        .as_ref()
        .map(call_row)
        .filter(|c| c.state != CallState::Ended))
}

/// Calls the clock has ended (see `CallStore::due_calls`).
pub(super) async fn due(
    s: &SqlStore,
    ringing_before: i64,
    silent_before: i64,
    limit: i64,
) -> Result<Vec<CallRow>> {
    let rows = sqlx::query(&format!(
        "{CALL} WHERE c.state <> 'ended' AND ((c.state = 'ringing' AND c.created_at <= $1) \
         OR (c.state = 'active' AND (c.caller_seen_at <= $2 OR c.callee_seen_at <= $2))) \
         ORDER BY c.created_at LIMIT $3"
    ))
    .bind(ringing_before)
    .bind(silent_before)
    .bind(limit)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(call_row).collect())
}

/// An account's calls, newest first.
pub(super) async fn of(
    s: &SqlStore,
    account_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<CallRow>> {
    let before = before.unwrap_or(i64::MAX);
    let rows = sqlx::query(&format!(
        "SELECT * FROM ({CALL} WHERE c.caller_id = $1 AND c.id < $2 \
         UNION ALL {CALL} WHERE c.callee_id = $1 AND c.id < $2) t ORDER BY id DESC LIMIT $3"
    ))
    .bind(account_id)
    .bind(before)
    .bind(limit)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(call_row).collect())
}
