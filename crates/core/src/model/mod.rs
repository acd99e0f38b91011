//! Rows as the domain sees them: what the store persists and services reason about. Wire
//! shapes live in `wasla-types`; these carry internal ids (i64) and are never sent as-is.
//! Webhook work and business rows (templates, profiles) live in submodules.

mod business;
mod commerce;
mod events;
mod tools;
mod webhooks;

pub use business::*;
pub use commerce::*;
pub use events::*;
pub use tools::*;
pub use webhooks::*;

use serde::{Deserialize, Serialize};
use wasla_types::{Content, MessageContext};

/// Whether an account is a person or a business phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// A person using the web client.
    Person,
    /// A business phone number (its id is the Cloud API phone-number id).
    Business,
}

impl AccountKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Person => "person",
            AccountKind::Business => "business",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Self {
        if s == "business" {
            AccountKind::Business
        } else {
            AccountKind::Person
        }
    }
}

/// A person or business phone number.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    /// Row id (for a business number: the phone-number id).
    pub id: i64,
    /// Person or business.
    pub kind: AccountKind,
    /// Digits of the number.
    pub wa_id: String,
    /// E.164 with `+`.
    pub phone: String,
    /// Display name.
    pub display_name: String,
    /// About line.
    pub about: String,
    /// Profile photo media id.
    pub photo: Option<i64>,
    /// Verified name of a business number.
    pub verified_name: Option<String>,
    /// Owning WABA of a business number.
    pub waba_id: Option<i64>,
    /// Last time seen online, Unix ms.
    pub last_seen: Option<i64>,
    /// Creation time, Unix ms.
    pub created_at: i64,
}

/// A pending verification code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRow {
    /// E.164 number.
    pub phone: String,
    /// argon2 hash of the code.
    pub code_hash: String,
    /// Expiry, Unix ms.
    pub expires_at: i64,
    /// Wrong guesses so far.
    pub attempts: i64,
    /// When it was sent, Unix ms.
    pub sent_at: i64,
}

/// A signed-in device.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    /// Row id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Device label.
    pub device: String,
    /// Creation time.
    pub created_at: i64,
}

/// A business account (WABA).
#[derive(Debug, Clone, PartialEq)]
pub struct WabaRow {
    /// Row id (the WABA id).
    pub id: i64,
    /// Business name.
    pub name: String,
    /// New and edited templates are approved without review.
    pub auto_approve_templates: bool,
    /// Creation time.
    pub created_at: i64,
}

/// An app: webhook target and signing secret of a WABA.
#[derive(Debug, Clone, PartialEq)]
pub struct AppRow {
    /// Row id.
    pub id: i64,
    /// Owning WABA.
    pub waba_id: i64,
    /// Callback URL.
    pub webhook_url: String,
    /// Verify token for the handshake.
    pub verify_token: String,
    /// HMAC key for `X-Hub-Signature-256`.
    pub app_secret: String,
    /// Creation time.
    pub created_at: i64,
}

/// Direct (two accounts) or group chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    /// Two accounts.
    Direct,
    /// A group of people.
    Group,
}

impl ChatKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Direct => "direct",
            ChatKind::Group => "group",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Self {
        if s == "group" {
            ChatKind::Group
        } else {
            ChatKind::Direct
        }
    }
}

/// A chat.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRow {
    /// Row id.
    pub id: i64,
    /// Direct or group.
    pub kind: ChatKind,
    /// Group subject.
    pub subject: Option<String>,
    /// Group photo.
    pub photo: Option<i64>,
    /// Seq of the newest message.
    pub last_seq: i64,
    /// Creation time.
    pub created_at: i64,
    /// Last activity.
    pub updated_at: i64,
}

/// A member's role in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// May manage the group.
    Admin,
    /// Ordinary member.
    Member,
}

impl Role {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Self {
        if s == "admin" {
            Role::Admin
        } else {
            Role::Member
        }
    }
}

/// An account's membership in a chat (kept after leaving, for history).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    /// The chat.
    pub chat_id: i64,
    /// The member.
    pub account_id: i64,
    /// Role.
    pub role: Role,
    /// When they (last) joined.
    pub joined_at: i64,
    /// When they left or were removed; None while a member.
    pub left_at: Option<i64>,
    /// The chat's last seq when they left: they see history up to here.
    pub left_seq: Option<i64>,
    /// Read position.
    pub last_read_seq: i64,
    /// Whether the member is a person or a business number (read with the row; not stored).
    pub account_kind: AccountKind,
}

impl MemberRow {
    /// Whether the member is still in the chat.
    pub fn active(&self) -> bool {
        self.left_at.is_none()
    }
}

/// A stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRow {
    /// Row id (wamid derives from it).
    pub id: i64,
    /// The chat.
    pub chat_id: i64,
    /// Position in the chat.
    pub seq: i64,
    /// Sender account.
    pub sender_id: i64,
    /// Sender's wa_id.
    pub sender_wa_id: String,
    /// Content.
    pub content: Content,
    /// Quoted message.
    pub context: Option<MessageContext>,
    /// Forwarded flag.
    pub forwarded: bool,
    /// Sender device's idempotency key.
    pub client_id: Option<String>,
    /// A business send's `biz_opaque_callback_data`, echoed in its status webhooks.
    pub callback_data: Option<String>,
    /// A business send's pricing category (`service`, `marketing`, `utility`, …).
    pub category: Option<String>,
    /// Creation time.
    pub created_at: i64,
}

/// Delivery status of a message for one recipient. Ordered: a status only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReceiptStatus {
    /// Could not be delivered.
    Failed = 0,
    /// Stored, not yet on a recipient device.
    Sent = 1,
    /// On a recipient device.
    Delivered = 2,
    /// Seen by the recipient.
    Read = 3,
}

impl ReceiptStatus {
    /// Stored integer.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// From the stored integer.
    pub fn from_code(c: i64) -> Self {
        match c {
            0 => ReceiptStatus::Failed,
            2 => ReceiptStatus::Delivered,
            3 => ReceiptStatus::Read,
            _ => ReceiptStatus::Sent,
        }
    }

    /// Wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptStatus::Failed => "failed",
            ReceiptStatus::Sent => "sent",
            ReceiptStatus::Delivered => "delivered",
            ReceiptStatus::Read => "read",
        }
    }
}

/// Everything written when a message is accepted: one atomic unit.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// The message (its `seq` is assigned by the store).
    pub message: MessageRow,
    /// Media the message refers to.
    pub media_id: Option<i64>,
    /// Accounts that get a receipt row (everyone but the sender).
    pub recipients: Vec<i64>,
    /// Accounts whose event stream gets the message (members, sender included).
    pub audience: Vec<i64>,
    /// Webhooks to deliver once committed (to every app of the number's WABA).
    pub webhooks: Vec<WebhookWork>,
    /// A person writing to a business number opens its customer service window:
    /// (business account, person account).
    pub opens_window: Option<(i64, i64)>,
}
