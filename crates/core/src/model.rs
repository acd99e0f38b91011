//! Rows as the domain sees them: what the store persists and services reason about. Wire
//! shapes live in `wasla-types`; these carry internal ids (i64) and are never sent as-is.

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
}

/// A claimed webhook delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    /// Row id.
    pub id: i64,
    /// The app to deliver to.
    pub app_id: i64,
    /// What happened (JSON of [`WebhookEvent`]).
    pub event: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When the event happened, Unix ms.
    pub created_at: i64,
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttemptOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// Try again at this time (Unix ms).
    RetryAt(i64),
    /// Give up (too old).
    Failed,
}

/// One line of an app's delivery log.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    /// Outbox row id.
    pub id: i64,
    /// The app.
    pub app_id: i64,
    /// What happened (JSON of [`WebhookEvent`]).
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// HTTP status of the last attempt.
    pub last_status: Option<i64>,
    /// Error of the last attempt.
    pub last_error: Option<String>,
    /// Next attempt, Unix ms.
    pub next_attempt_at: i64,
    /// When the event happened.
    pub created_at: i64,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
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
    /// Read position, for read receipts.
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

/// A message template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    /// Row id (the template id).
    pub id: i64,
    /// Owning WABA.
    pub waba_id: i64,
    /// Name (`a-z0-9_`).
    pub name: String,
    /// Locale code.
    pub language: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// `POSITIONAL` or `NAMED`.
    pub parameter_format: String,
    /// The components as JSON (Cloud API shape).
    pub components: String,
    /// `PENDING`, `APPROVED`, `REJECTED`, `PAUSED` or `DISABLED`.
    pub status: String,
    /// Why it was rejected.
    pub rejected_reason: Option<String>,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// A business number's profile fields (about and photo live on the account).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BusinessProfileRow {
    /// Street address.
    pub address: String,
    /// Longer description.
    pub description: String,
    /// Contact email.
    pub email: String,
    /// Up to two websites.
    pub websites: Vec<String>,
    /// Industry (`RETAIL`, `OTHER`, …).
    pub vertical: String,
}
