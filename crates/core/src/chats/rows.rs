//! Rows of the chats domain: chats, members and roles, messages and receipts, and what a
//! commit returns and accounts' event streams hold, and the webhook work a commit writes to the
//! outbox (which integration renders and delivers).

use crate::accounts::{AccountKind, EventSeq};
use serde::{Deserialize, Serialize};
use wasla_types::{Content, MessageContext};

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
    /// What delivering a business message will cost each recipient (decided by the pricing
    /// of the domain above; stored with the message, rated when it is delivered).
    pub charges: Vec<PendingCharge>,
}

/// What delivering a business message to one recipient will cost: a plan the billing domain
/// wrote when it was sent, opaque here, turned into a ledger row in the transaction that
/// moves the recipient's receipt to delivered (or read).
#[derive(Debug, Clone, PartialEq)]
pub struct PendingCharge {
    /// The recipient account.
    pub recipient_id: i64,
    /// The WABA charged.
    pub waba_id: i64,
    /// The plan (JSON).
    pub plan: String,
}

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

/// A webhook to deliver about a business phone number (stored as JSON in the outbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookWork {
    /// The business phone number (account id) the event belongs to (0 for WABA-level events).
    pub business_id: i64,
    /// The WABA, for events that belong to the account rather than a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waba_id: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub event: WebhookEvent,
}

/// What a webhook reports; stored as JSON in the outbox and rendered into the Cloud API's
/// payload when delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WebhookEvent {
    /// A person's message reached the business number.
    Message {
        /// The message row.
        message_id: i64,
    },
    /// A message the business number sent changed status.
    Status {
        /// The message row (absent when the send failed before it was stored).
        #[serde(default)]
        message_id: Option<i64>,
        /// The wamid given to the business.
        wamid: String,
        /// The recipient account (absent when the number is not on this server).
        #[serde(default)]
        recipient_id: Option<i64>,
        /// The recipient's wa_id.
        recipient_wa_id: String,
        /// `sent`, `delivered`, `read` or `failed`.
        status: String,
        /// Unix ms.
        timestamp: i64,
        /// Graph error code of a failure.
        #[serde(default)]
        error_code: Option<i64>,
        /// Pricing category (`service`, `marketing`, `utility`, `authentication`).
        #[serde(default)]
        category: Option<String>,
        /// Echo of `biz_opaque_callback_data`.
        #[serde(default)]
        callback_data: Option<String>,
    },
    /// A payment for an order the business number sent changed status.
    Payment {
        /// The payment row.
        payment_id: i64,
        /// `pending`, `captured`, `failed` or `refunded` at the time.
        status: String,
        /// Unix ms.
        timestamp: i64,
    },
    /// A template was approved, rejected, paused, …
    TemplateStatus {
        /// The template.
        template_id: i64,
        /// Its name.
        name: String,
        /// Its language.
        language: String,
        /// `APPROVED`, `REJECTED`, …
        status: String,
        /// Why (rejections), else `NONE`.
        reason: String,
    },
    /// A change to the WABA as a whole, delivered as one change of `field` (for example
    /// `account_update` with `{"event":"LOW_BALANCE",…}`) in the WABA's entry; `value` is
    /// the change's `value` object as it was when queued.
    WabaUpdate {
        /// The webhook field (`account_update`, `phone_number_quality_update`, …).
        field: String,
        /// The change's `value`.
        value: serde_json::Value,
        /// When it happened, Unix ms.
        timestamp: i64,
    },
    /// A person opened the chat with the business number for the first time (the
    /// conversational automation's welcome message is on).
    RequestWelcome {
        /// The person.
        person_id: i64,
        /// When, Unix ms.
        timestamp: i64,
        /// Id of the event (its wamid).
        id: i64,
    },
}
