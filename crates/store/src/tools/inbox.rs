//! The shared inbox: each customer chat's state and assignee (`inbox_chats`), with a
//! compare-and-swap claim, and agents' internal notes (`chat_notes`).

use crate::{db_err, SqlStore};
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::tools::{InboxRow, NoteRow};
use wasla_core::Result;

const INBOX_COLS: &str = "chat_id, business_id, state, assignee_id, updated_at";

fn inbox_row(r: &AnyRow) -> InboxRow {
    InboxRow {
        chat_id: r.get(0),
        business_id: r.get(1),
        state: r.get(2),
        assignee_id: r.get(3),
        updated_at: r.get(4),
    }
}

/// Inbox state of a chat.
pub(super) async fn inbox(s: &SqlStore, chat_id: i64) -> Result<Option<InboxRow>> {
    let r = sqlx::query(&format!(
        "SELECT {INBOX_COLS} FROM inbox_chats WHERE chat_id = $1"
    ))
    .bind(chat_id)
    .fetch_optional(&s.read)
    .await
    .map_err(db_err)?;
    Ok(r.as_ref().map(inbox_row))
}

/// Inbox states of a business number's chats.
pub(super) async fn inbox_of(s: &SqlStore, business_id: i64) -> Result<Vec<InboxRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {INBOX_COLS} FROM inbox_chats WHERE business_id = $1"
    ))
    .bind(business_id)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows.iter().map(inbox_row).collect())
}

/// Insert or replace the inbox state of a chat.
pub(super) async fn put_inbox(s: &SqlStore, row: &InboxRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO inbox_chats ({INBOX_COLS}) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (chat_id) DO UPDATE SET state = $3, assignee_id = $4, updated_at = $5"
    ))
    .bind(row.chat_id)
    .bind(row.business_id)
    .bind(&row.state)
    .bind(row.assignee_id)
    .bind(row.updated_at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Set state and assignee only if the current assignee is `expected` (compare and swap);
/// false when someone else changed it first.
pub(super) async fn claim_inbox(
    s: &SqlStore,
    row: &InboxRow,
    expected: Option<i64>,
) -> Result<bool> {
    sqlx::query(
        "INSERT INTO inbox_chats (chat_id, business_id, state, assignee_id, updated_at) \
         VALUES ($1, $2, 'open', NULL, $3) ON CONFLICT (chat_id) DO NOTHING",
    )
    .bind(row.chat_id)
    .bind(row.business_id)
    .bind(row.updated_at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    let done = match expected {
        Some(a) => sqlx::query(
            "UPDATE inbox_chats SET state = $1, assignee_id = $2, updated_at = $3 \
             WHERE chat_id = $4 AND assignee_id = $5",
        )
        .bind(&row.state)
        .bind(row.assignee_id)
        .bind(row.updated_at)
        .bind(row.chat_id)
        .bind(a),
        None => sqlx::query(
            "UPDATE inbox_chats SET state = $1, assignee_id = $2, updated_at = $3 \
             WHERE chat_id = $4 AND assignee_id IS NULL",
        )
        .bind(&row.state)
        .bind(row.assignee_id)
        .bind(row.updated_at)
        .bind(row.chat_id),
    }
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(done.rows_affected() == 1)
}

/// Add a note.
pub(super) async fn add_note(s: &SqlStore, n: &NoteRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_notes (id, chat_id, agent_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(n.id)
    .bind(n.chat_id)
    .bind(n.agent_id)
    .bind(&n.body)
    .bind(n.created_at)
    .execute(&s.write)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Notes of a chat, oldest first.
pub(super) async fn notes(s: &SqlStore, chat_id: i64) -> Result<Vec<NoteRow>> {
    let rows = sqlx::query(
        "SELECT id, chat_id, agent_id, body, created_at FROM chat_notes WHERE chat_id = $1 ORDER BY id",
    )
    .bind(chat_id)
    .fetch_all(&s.read)
    .await
    .map_err(db_err)?;
    Ok(rows
        .iter()
        .map(|r| NoteRow {
            id: r.get(0),
            chat_id: r.get(1),
            agent_id: r.get(2),
            body: r.get(3),
            created_at: r.get(4),
        })
        .collect())
}
