//! Quick replies (`quick_replies`): a WABA's canned answers, by shortcut.

use crate::{db_err, SqlStore};
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::tools::QuickReplyRow;
use wasla_core::Result;

const QUICK_COLS: &str = "id, waba_id, shortcut, body, media_id, created_at, updated_at";

fn quick(r: &AnyRow) -> QuickReplyRow {
    QuickReplyRow {
        id: r.get(0),
        waba_id: r.get(1),
        shortcut: r.get(2),
        body: r.get(3),
        media_id: r.get(4),
        created_at: r.get(5),
        updated_at: r.get(6),
    }
}

/// Insert or update (by id) a quick reply; `Conflict` on a duplicate shortcut.
pub(super) async fn put_quick_reply(s: &SqlStore, q: &QuickReplyRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO quick_replies ({QUICK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET shortcut = $3, body = $4, media_id = $5, updated_at = $7"
    ))
    .bind(q.id)
    .bind(q.waba_id)
    .bind(&q.shortcut)
    .bind(&q.body)
    .bind(q.media_id)
    .bind(q.created_at)
    .bind(q.updated_at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Quick replies of a WABA, by shortcut.
pub(super) async fn quick_replies(s: &SqlStore, waba_id: i64) -> Result<Vec<QuickReplyRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {QUICK_COLS} FROM quick_replies WHERE waba_id = $1 ORDER BY shortcut"
    ))
    .bind(waba_id)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(quick).collect())
}

/// Delete a quick reply of a WABA; false if unknown.
pub(super) async fn delete_quick_reply(s: &SqlStore, waba_id: i64, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM quick_replies WHERE id = $1 AND waba_id = $2")
        .bind(id)
        .bind(waba_id)
        .execute(&s.write)
        .await
        .map_err(db_err)?;
    Ok(done.rows_affected() == 1)
}
