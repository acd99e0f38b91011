//! Column lists and row decoders of chats, memberships and messages.

use crate::db::Columns;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::accounts::AccountKind;
use wasla_core::chats::{ChatKind, ChatRow, MemberRow, MessageRow, Role};
use wasla_core::{Error, Result};

/// Columns of a chat row.
pub(crate) const CHAT_COLS: &str =
    "c.id, c.kind, c.subject, c.photo, c.last_seq, c.created_at, c.updated_at";

/// Decode a chat row (columns [`CHAT_COLS`]).
pub(crate) fn chat(r: &AnyRow) -> ChatRow {
    ChatRow {
        id: r.get(0),
        kind: ChatKind::parse(&r.get::<String, _>(1)),
        subject: r.get(2),
        photo: r.get(3),
        last_seq: r.get(4),
        created_at: r.get(5),
        updated_at: r.get(6),
    }
}

/// Columns of a member row.
/// Needs `chat_members cm JOIN accounts ma ON ma.id = cm.account_id`.
pub(crate) const MEMBER_COLS: &str =
    "cm.chat_id, cm.account_id, cm.role, cm.joined_at, cm.left_at, cm.left_seq, cm.last_read_seq, ma.kind";

/// Decode a member row whose columns start at `at`.
pub(crate) fn member(r: &AnyRow, at: usize) -> MemberRow {
    MemberRow {
        chat_id: r.get(at),
        account_id: r.get(at + 1),
        role: Role::parse(&r.get::<String, _>(at + 2)),
        joined_at: r.get(at + 3),
        left_at: r.get(at + 4),
        left_seq: r.get(at + 5),
        last_read_seq: r.get(at + 6),
        account_kind: AccountKind::parse(&r.get::<String, _>(at + 7)),
    }
}

/// Columns of a message row (with the sender's wa_id); needs `messages m JOIN accounts a`.
pub(crate) const MESSAGE_COLS: &str =
    "m.id, m.chat_id, m.seq, m.sender_id, a.wa_id, m.content, m.context, m.forwarded, m.client_id, m.created_at, m.callback_data, m.category";

/// Decode a message row whose columns start at `at` (from a query or a batch statement).
pub(crate) fn message(r: &impl Columns, at: usize) -> Result<MessageRow> {
    let content: String = r.col(at + 5)?;
    let context: Option<String> = r.col(at + 6)?;
    Ok(MessageRow {
        id: r.col(at)?,
        chat_id: r.col(at + 1)?,
        seq: r.col(at + 2)?,
        sender_id: r.col(at + 3)?,
        sender_wa_id: r.col(at + 4)?,
        content: serde_json::from_str(&content).map_err(Error::internal)?,
        context: context
            .map(|c| serde_json::from_str(&c))
            .transpose()
            .map_err(Error::internal)?,
        forwarded: r.col::<i64>(at + 7)? != 0,
        client_id: r.col(at + 8)?,
        created_at: r.col(at + 9)?,
        callback_data: r.col(at + 10)?,
        category: r.col(at + 11)?,
    })
}
