//! What a commit returns and what accounts' event streams hold: commit results, event
//! sequence numbers and payloads, receipt updates, and media rows.

use super::{MessageRow, ReceiptStatus};
use serde::{Deserialize, Serialize};

/// Result of committing a message.
#[derive(Debug, Clone)]
pub enum Committed {
    /// Newly stored, with its seq and the events written.
    New {
        /// The stored message, seq assigned.
        message: MessageRow,
        /// (account, event seq) per audience member.
        events: Vec<EventSeq>,
    },
    /// The sender already sent this `client_id`; here is the original.
    Duplicate(MessageRow),
}

/// An event's place in an account's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSeq {
    /// The account.
    pub account_id: i64,
    /// Its seq there.
    pub seq: i64,
}

/// What kind of durable event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A message (refers to the message row).
    Message,
    /// A receipt change (payload: [`StatusPayload`]).
    Status,
    /// The account read a chat (payload: up_to_seq).
    Read,
    /// A chat changed (rendered for the account when delivered).
    Chat,
    /// The account's profile changed.
    Profile,
}

impl EventKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::Status => "status",
            EventKind::Read => "read",
            EventKind::Chat => "chat",
            EventKind::Profile => "profile",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Self {
        match s {
            "message" => EventKind::Message,
            "status" => EventKind::Status,
            "read" => EventKind::Read,
            "chat" => EventKind::Chat,
            _ => EventKind::Profile,
        }
    }
}

/// An event to append to an account's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Whose stream.
    pub account_id: i64,
    /// What kind.
    pub kind: EventKind,
    /// The chat concerned.
    pub chat_id: Option<i64>,
    /// The message concerned.
    pub message_id: Option<i64>,
    /// Kind-specific JSON.
    pub payload: Option<String>,
}

/// A stored event, with its message joined in.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// Whose stream.
    pub account_id: i64,
    /// Position.
    pub seq: i64,
    /// What kind.
    pub kind: EventKind,
    /// The chat concerned.
    pub chat_id: Option<i64>,
    /// The message, for message events.
    pub message: Option<MessageRow>,
    /// Kind-specific JSON.
    pub payload: Option<String>,
}

/// Payload of a status event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusPayload {
    /// The wamid.
    pub id: String,
    /// New status of this recipient.
    pub status: String,
    /// The recipient.
    pub wa_id: String,
    /// New aggregate over recipients.
    pub aggregate: String,
    /// Unix ms.
    pub timestamp: i64,
}

/// A batch of receipt changes by one reader in one chat.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptUpdate {
    /// The recipient whose devices report.
    pub reader_id: i64,
    /// Their wa_id (for the senders' status events).
    pub reader_wa_id: String,
    /// The chat.
    pub chat_id: i64,
    /// `Delivered` for listed messages, or `Read` up to a seq.
    pub status: ReceiptStatus,
    /// The messages, for delivered receipts.
    pub message_ids: Vec<i64>,
    /// Read position, for read receipts; the store clamps it to the chat's last message.
    pub up_to_seq: Option<i64>,
    /// Now, Unix ms.
    pub now: i64,
}

/// Uploaded media.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRow {
    /// Row id.
    pub id: i64,
    /// Uploader.
    pub owner_id: i64,
    /// Sniffed MIME type.
    pub mime_type: String,
    /// Size in bytes.
    pub file_size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Original name.
    pub filename: Option<String>,
    /// Upload time.
    pub created_at: i64,
}
