//! Column lists and row decoders shared by the queries.

use crate::db::Columns;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::accounts::{AccountKind, AccountRow, MediaRow};
use wasla_core::business::{AppRow, WabaRow};
use wasla_core::chats::{ChatKind, ChatRow, MemberRow, MessageRow, Role};
use wasla_core::{Error, Result};

/// Columns of an account row.
pub const ACCOUNT_COLS: &str =
    "id, kind, wa_id, phone, display_name, about, photo, verified_name, waba_id, last_seen, created_at";

pub fn account(r: &AnyRow) -> AccountRow {
    AccountRow {
        id: r.get(0),
        kind: AccountKind::parse(&r.get::<String, _>(1)),
        wa_id: r.get(2),
        phone: r.get(3),
        display_name: r.get(4),
        about: r.get(5),
        photo: r.get(6),
        verified_name: r.get(7),
        waba_id: r.get(8),
        last_seen: r.get(9),
        created_at: r.get(10),
    }
}

/// Columns of a chat row.
pub const CHAT_COLS: &str =
    "c.id, c.kind, c.subject, c.photo, c.last_seq, c.created_at, c.updated_at";

pub fn chat(r: &AnyRow) -> ChatRow {
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
pub const MEMBER_COLS: &str =
    "cm.chat_id, cm.account_id, cm.role, cm.joined_at, cm.left_at, cm.left_seq, cm.last_read_seq, ma.kind";

/// Decode a member row whose columns start at `at`.
pub fn member(r: &AnyRow, at: usize) -> MemberRow {
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
pub const MESSAGE_COLS: &str =
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

/// Columns of a media row.
pub const MEDIA_COLS: &str = "id, owner_id, mime_type, file_size, sha256, filename, created_at";

pub fn media(r: &AnyRow) -> MediaRow {
    MediaRow {
        id: r.get(0),
        owner_id: r.get(1),
        mime_type: r.get(2),
        file_size: r.get(3),
        sha256: r.get(4),
        filename: r.get(5),
        created_at: r.get(6),
    }
}

/// Columns of a WABA row.
pub const WABA_COLS: &str = "id, name, created_at, auto_approve_templates";

pub fn waba(r: &AnyRow) -> WabaRow {
    WabaRow {
        id: r.get(0),
        name: r.get(1),
        created_at: r.get(2),
        auto_approve_templates: r.get::<i64, _>(3) != 0,
    }
}

/// Columns of an app row; needs `apps ap`. The callback URL column is passed in, because
/// delivery reads the WABA's override in its place.
pub fn app_cols(webhook_url: &str) -> String {
    format!("ap.id, ap.waba_id, {webhook_url}, ap.verify_token, ap.app_secret, ap.created_at")
}

pub fn app(r: &AnyRow) -> AppRow {
    AppRow {
        id: r.get(0),
        waba_id: r.get(1),
        webhook_url: r.get(2),
        verify_token: r.get(3),
        app_secret: r.get(4),
        created_at: r.get(5),
    }
}
