//! The client API (`/client/v1`) and WebSocket frames used by the web client; see
//! `docs/client-api.md`. Content inside messages is [`crate::Content`].

// Frames live briefly on their way to or from JSON; boxing variants would buy nothing.
#![allow(clippy::large_enum_variant)]

pub use crate::account::Account;
use crate::content::{Content, MessageContext};
pub use crate::errors::{ErrorBody, ErrorEnvelope};
use serde::{Deserialize, Serialize};

/// One member of a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The member.
    pub account: Account,
    /// `admin` or `member`.
    pub role: String,
}

/// A chat as one of its members sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chat {
    /// Numeric string id.
    pub chat_id: String,
    /// `direct` or `group`.
    pub kind: String,
    /// Group subject.
    pub subject: Option<String>,
    /// Group photo media id.
    pub photo: Option<String>,
    /// The other side of a direct chat.
    pub peer: Option<Account>,
    /// Current members, the viewer included.
    pub members: Vec<Member>,
    /// The viewer's role.
    pub me_role: String,
    /// Whether the viewer has left or was removed.
    pub left: bool,
    /// Sequence number of the newest message.
    pub last_seq: i64,
    /// The viewer's read position.
    pub last_read_seq: i64,
    /// Messages from others after the read position.
    pub unread: i64,
    /// The newest message.
    pub last_message: Option<Box<Message>>,
    /// Creation time, Unix ms.
    pub created_at: i64,
}

/// A message in a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The wamid.
    pub id: String,
    /// The chat it belongs to.
    pub chat_id: String,
    /// Position in the chat, growing by one.
    pub seq: i64,
    /// Sender's wa_id.
    pub from: String,
    /// Unix ms.
    pub timestamp: i64,
    /// The content, flattened in Cloud API shape.
    #[serde(flatten)]
    pub content: Content,
    /// The quoted message, for replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<MessageContext>,
    /// Whether it was forwarded.
    #[serde(default)]
    pub forwarded: bool,
    /// The sender device's idempotency key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Aggregate delivery status over recipients (for the sender).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A message a client sends (REST body or inside the WebSocket `send` frame).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SendMessage {
    /// Idempotency key chosen by the sending device.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The content.
    #[serde(flatten)]
    pub content: Content,
    /// Quoted message.
    #[serde(default)]
    pub context: Option<MessageContext>,
    /// Marks the message as forwarded.
    #[serde(default)]
    pub forwarded: bool,
    /// The token a tap on an ad or an open of its link returned (the first message of a chat
    /// that came from a click-to-chat ad).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
}

/// A durable event in an account's stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Event {
    /// A new message in one of the account's chats (its own included).
    Message {
        /// The message.
        message: Message,
    },
    /// A receipt for one of the account's messages.
    Status {
        /// The chat.
        chat_id: String,
        /// The wamid.
        id: String,
        /// `delivered`, `read` or `failed`.
        status: String,
        /// The recipient whose status changed.
        wa_id: String,
        /// The message's new aggregate status.
        aggregate: String,
        /// Unix ms.
        timestamp: i64,
    },
    /// The account read a chat on one of its devices.
    Read {
        /// The chat.
        chat_id: String,
        /// The new read position.
        up_to_seq: i64,
    },
    /// A chat was created or changed.
    Chat {
        /// The chat as the account sees it.
        chat: Box<Chat>,
    },
    /// The account's own profile changed.
    Profile {
        /// The new profile.
        account: Account,
    },
}

/// Frames a client sends over the WebSocket.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum ClientFrame {
    /// Authenticate and resume after the given event sequence number.
    Hello {
        /// Session token.
        token: String,
        /// Last processed event seq.
        #[serde(default)]
        after: i64,
    },
    /// Send a message; answered with an `ack` carrying `ref`.
    Send {
        /// Correlates the ack.
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        /// Target chat.
        chat_id: String,
        /// The message.
        #[serde(flatten)]
        message: SendMessage,
    },
    /// Delivery receipts for messages this device has.
    Receipt {
        /// The chat.
        chat_id: String,
        /// Only `delivered` here; reads use `read`.
        status: String,
        /// The wamids.
        ids: Vec<String>,
    },
    /// Read up to a position.
    Read {
        /// The chat.
        chat_id: String,
        /// Read position.
        up_to_seq: i64,
    },
    /// Typing indicator.
    Typing {
        /// The chat.
        chat_id: String,
        /// `composing` or `paused`.
        state: String,
    },
    /// Presence subscription (replaces the previous set).
    Presence {
        /// Accounts to follow.
        wa_ids: Vec<String>,
    },
    /// Keep-alive.
    Ping,
    /// Call signalling: `{"op":"call","action":…}` (see [`crate::calls::CallAction`]).
    Call(crate::calls::CallAction),
    /// Group call signalling: `{"op":"group_call","action":…}`.
    #[serde(rename = "group_call")]
    GroupCall(crate::group_calls::GroupCallAction),
}

/// Frames the server sends over the WebSocket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ServerFrame {
    /// Authenticated; stored events follow.
    Ready {
        /// The connected account.
        account: Account,
        /// Highest event seq stored for the account.
        last_seq: i64,
    },
    /// A durable event.
    Event {
        /// Its position in the account's stream.
        seq: i64,
        /// The event.
        event: Event,
    },
    /// Result of a `send`.
    Ack {
        /// The `ref` of the send.
        #[serde(rename = "ref")]
        reference: Option<String>,
        /// The committed message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<Box<Message>>,
        /// Why it failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<ErrorBody>,
    },
    /// Someone is typing.
    Typing {
        /// The chat.
        chat_id: String,
        /// Who.
        wa_id: String,
        /// `composing` or `paused`.
        state: String,
    },
    /// Presence of a followed account.
    Presence {
        /// Whose.
        wa_id: String,
        /// Online now.
        online: bool,
        /// Last seen, Unix ms.
        last_seen: Option<i64>,
    },
    /// Answer to `ping`.
    Pong,
    /// Call signalling: `{"type":"call","event":…}` (see [`crate::calls::CallNotice`]).
    Call(Box<crate::calls::CallNotice>),
    /// Group call signalling: `{"type":"group_call","event":…}`.
    #[serde(rename = "group_call")]
    GroupCall(Box<crate::group_calls::GroupCallNotice>),
    /// A Status update I am in the audience of (or my own, on my other devices).
    #[serde(rename = "status_update")]
    StatusUpdate {
        /// The update as I see it.
        update: Box<crate::status::StatusUpdate>,
    },
    /// A Status update was deleted by its author.
    #[serde(rename = "status_deleted")]
    StatusDeleted {
        /// Which.
        deleted: crate::status::StatusDeleted,
    },
    /// To the author's devices: someone viewed one of their updates.
    #[serde(rename = "status_viewed")]
    StatusViewed {
        /// The update and the viewer.
        viewed: crate::status::StatusViewed,
    },
    /// A protocol error.
    Error {
        /// What went wrong.
        error: ErrorBody,
    },
}

/// `POST /client/v1/auth/code` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRequest {
    /// The phone number in any common format.
    pub phone: String,
}

/// `POST /client/v1/auth/verify` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The phone number.
    pub phone: String,
    /// The 6-digit code.
    pub code: String,
    /// A label for the device.
    #[serde(default)]
    pub device: Option<String>,
}

/// A new session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The session token, shown once.
    pub token: String,
    /// The signed-in account.
    pub account: Account,
    /// Whether the account was just created.
    pub new_account: bool,
}

/// `PATCH /client/v1/me` body; absent fields stay unchanged.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProfileUpdate {
    /// New display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// New about line.
    #[serde(default)]
    pub about: Option<String>,
    /// New photo media id; `null` removes it.
    #[serde(default, with = "double_option")]
    pub photo: Option<Option<String>>,
}

/// `POST /client/v1/groups` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewGroup {
    /// The subject.
    pub subject: String,
    /// Photo media id.
    #[serde(default)]
    pub photo: Option<String>,
    /// Initial members (the creator is added as admin).
    #[serde(default)]
    pub members: Vec<String>,
}

/// `PATCH /client/v1/chats/{id}` body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GroupUpdate {
    /// New subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// New photo; `null` removes it.
    #[serde(default, with = "double_option")]
    pub photo: Option<Option<String>>,
}

/// A page of messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessagePage {
    /// Ascending by seq.
    pub data: Vec<Message>,
    /// Whether older messages exist.
    pub has_more: bool,
}

/// A per-recipient receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The recipient.
    pub wa_id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// When it last changed, Unix ms.
    pub timestamp: i64,
}

/// An uploaded media object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaInfo {
    /// Numeric string id.
    pub id: String,
    /// Sniffed MIME type.
    pub mime_type: String,
    /// Size in bytes.
    pub file_size: u64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Original file name.
    pub filename: Option<String>,
}

/// Serde helper: distinguishes an absent field (None) from an explicit null (Some(None)).
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Deserialize a present field, null included.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    /// Serialize the inner option.
    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}
