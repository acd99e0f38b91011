//! Cloud API shapes (Meta's WhatsApp Cloud API, v23 and later): the send envelope and its
//! response, mark-as-read, and the webhook payloads (inbound messages, statuses), as the brief
//! in the contract describes them. Message content itself is [`crate::Content`].

use crate::content::Content;
use serde::{Deserialize, Serialize};

/// `POST /{phone-number-id}/messages` for a message (not a read mark).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SendRequest {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// `individual` (default) or `group`.
    #[serde(default)]
    pub recipient_type: Option<String>,
    /// The recipient's number (with or without `+`).
    #[serde(default)]
    pub to: Option<String>,
    /// A business-scoped user id, accepted instead of `to`.
    #[serde(default)]
    pub recipient: Option<String>,
    /// The content.
    #[serde(flatten)]
    pub content: Content,
    /// A reply's target.
    #[serde(default, deserialize_with = "crate::encoded::option")]
    pub context: Option<SendContext>,
    /// Echoed in status webhooks (≤ 512 characters).
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
}

/// `context` of a send.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SendContext {
    /// The wamid replied to.
    pub message_id: String,
}

/// `POST /{phone-number-id}/messages` marking a message read (optionally with typing).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MarkRead {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// Always `read`.
    pub status: String,
    /// The wamid read (earlier messages count as read too).
    pub message_id: String,
    /// Show a typing indicator to the person.
    #[serde(default)]
    pub typing_indicator: Option<TypingIndicator>,
}

/// `POST /{phone-number-id}/whatsapp_business_profile`: the fields given change, the others
/// keep their values; unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessProfileUpdate {
    /// Always `whatsapp` when given.
    #[serde(default)]
    pub messaging_product: Option<String>,
    /// The "about" text (1 to 139 characters).
    #[serde(default)]
    pub about: Option<String>,
    /// Address (at most 256 characters).
    #[serde(default)]
    pub address: Option<String>,
    /// Description (at most 512 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Contact email (at most 128 characters; empty clears it).
    #[serde(default)]
    pub email: Option<String>,
    /// At most 2 http(s) URLs of at most 256 characters.
    #[serde(default)]
    pub websites: Option<Vec<String>>,
    /// The industry, one of Meta's verticals (`RETAIL`, `RESTAURANT`, …).
    #[serde(default)]
    pub vertical: Option<String>,
    /// The id of an image the number uploaded, to become its picture.
    #[serde(default)]
    pub profile_picture_handle: Option<String>,
}

/// `typing_indicator` of a read mark.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TypingIndicator {
    /// Always `text`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// The 200 response of a send.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SendResponse {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// The recipient as given and resolved.
    pub contacts: Vec<SendContact>,
    /// The accepted message.
    pub messages: Vec<SentMessage>,
}

/// A recipient in a send response.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SendContact {
    /// What the request said.
    pub input: String,
    /// The WhatsApp id.
    pub wa_id: String,
}

/// An accepted message in a send response.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SentMessage {
    /// The wamid.
    pub id: String,
    /// `accepted` for templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_status: Option<String>,
}

/// A webhook POST body.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WebhookPayload {
    /// Always `whatsapp_business_account`.
    pub object: String,
    /// One entry per WABA.
    pub entry: Vec<Entry>,
}

impl WebhookPayload {
    /// The body of one webhook POST: one change of `field` in WABA `waba_id`'s entry.
    pub fn one_change(
        waba_id: impl ToString,
        time: Option<i64>,
        field: &str,
        value: serde_json::Value,
    ) -> Self {
        WebhookPayload {
            object: "whatsapp_business_account".into(),
            entry: vec![Entry {
                id: waba_id.to_string(),
                time,
                changes: vec![Change {
                    field: field.into(),
                    value,
                }],
            }],
        }
    }
}

/// One WABA's changes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Entry {
    /// The WABA id.
    pub id: String,
    /// When it happened, Unix seconds (account-level changes such as template updates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
    /// The changes.
    pub changes: Vec<Change>,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Change {
    /// `messages`, `message_template_status_update`, …
    pub field: String,
    /// The change itself.
    pub value: serde_json::Value,
}

/// The `value` of a `messages` change.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MessagesValue {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// The business number concerned.
    pub metadata: Metadata,
    /// The people concerned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<WebhookContact>,
    /// Inbound messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<InboundMessage>,
    /// Status changes of sent messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
}

/// `metadata` of a messages change.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Metadata {
    /// The number's digits as displayed.
    pub display_phone_number: String,
    /// The phone-number id.
    pub phone_number_id: String,
}

/// A person in a webhook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WebhookContact {
    /// Their profile (inbound messages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<WebhookProfile>,
    /// Their WhatsApp id.
    pub wa_id: String,
    /// Their business-scoped user id.
    pub user_id: String,
}

/// A person's profile in a webhook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WebhookProfile {
    /// Display name.
    pub name: String,
}

/// An inbound message.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct InboundMessage {
    /// Sender's wa_id.
    pub from: String,
    /// Sender's business-scoped user id.
    pub from_user_id: String,
    /// The wamid.
    pub id: String,
    /// Unix seconds, as a string.
    pub timestamp: String,
    /// The content.
    #[serde(flatten)]
    pub content: Content,
    /// For replies: the quoted message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<InboundContext>,
    /// The click-to-chat ad the person came from (their first message of that chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<crate::ads::Referral>,
}

/// `context` of an inbound reply.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct InboundContext {
    /// Who wrote the quoted message.
    pub from: String,
    /// The quoted wamid.
    pub id: String,
    /// Set when the quoted message was forwarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<bool>,
    /// The catalog product the person asks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_product: Option<crate::commerce::ReferredProduct>,
}

/// A status change of a sent message.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Status {
    /// The wamid.
    pub id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// Unix seconds, as a string.
    pub timestamp: String,
    /// The recipient's wa_id.
    pub recipient_id: String,
    /// The recipient's business-scoped user id.
    pub recipient_user_id: String,
    /// Echo of the send's `biz_opaque_callback_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    /// The conversation window (when one is open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<Conversation>,
    /// How the message is priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<StatusError>,
}

/// `conversation` of a status.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Conversation {
    /// Conversation id.
    pub id: String,
    /// When the window closes, Unix seconds as a string (first status only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_timestamp: Option<String>,
    /// What opened it.
    pub origin: Origin,
}

/// `conversation.origin`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Origin {
    /// The category word (`service`, `marketing`, …).
    #[serde(rename = "type")]
    pub kind: String,
}

/// `pricing` of a status.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Pricing {
    /// Whether the message is charged.
    pub billable: bool,
    /// Always `PMP` (per-message pricing).
    pub pricing_model: String,
    /// `regular`, `free_customer_service` or `free_entry_point`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `service`, `marketing`, `utility`, `authentication`, …
    pub category: String,
}

/// An error in a failed status.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct StatusError {
    /// The Graph error code (e.g. 131047).
    pub code: i64,
    /// Short title.
    pub title: String,
    /// Explanation.
    pub message: String,
    /// Details.
    pub error_data: StatusErrorData,
}

/// `error_data` of a status error.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct StatusErrorData {
    /// What exactly happened.
    pub details: String,
}
