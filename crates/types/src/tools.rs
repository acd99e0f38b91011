//! JSON shapes of the business tools: automation settings of a business number (business
//! hours, holidays, greeting, away message, FAQ rules, conversational automation), QR short
//! links as the Cloud API's `message_qrdls` returns them, and the agents, inbox, labels and
//! quick replies of the business console and the admin API.

use crate::content::Content;
use serde::{Deserialize, Serialize};

/// Everything a business number automates, stored as one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomationSettings {
    /// IANA time zone of the business hours, e.g. `Europe/Berlin` (default `UTC`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Opening hours per weekday; a day without an entry is closed.
    #[serde(default)]
    pub hours: Vec<DayHours>,
    /// Closed days, `YYYY-MM-DD` in the business's time zone.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Greeting sent to new and returning customers.
    #[serde(default)]
    pub greeting: Option<Greeting>,
    /// Away message.
    #[serde(default)]
    pub away: Option<Away>,
    /// FAQ rules, tried in order; the first match answers.
    #[serde(default)]
    pub faq: Vec<FaqRule>,
    /// The Cloud API's conversational automation.
    #[serde(default)]
    pub conversational: ConversationalAutomation,
}

/// Opening hours of one weekday.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    /// `mon` … `sun`.
    pub day: String,
    /// Opening time, `HH:MM`.
    pub open: String,
    /// Closing time, `HH:MM` (after `open`).
    pub close: String,
}

/// The greeting message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Greeting {
    /// Whether it is sent.
    pub enabled: bool,
    /// What is sent; `{{name}}` becomes the customer's name.
    pub text: String,
    /// A customer silent this many days is greeted again (default 14).
    #[serde(default = "default_after_days")]
    pub after_days: i64,
    /// Only these wa_ids are greeted (empty: everyone).
    #[serde(default)]
    pub include: Vec<String>,
    /// These wa_ids are never greeted.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Only customers whose chat has one of these label ids are greeted (with `include`:
    /// either list matches; both empty: everyone).
    #[serde(default)]
    pub include_labels: Vec<String>,
    /// Customers whose chat has one of these label ids are never greeted.
    #[serde(default)]
    pub exclude_labels: Vec<String>,
}

fn default_after_days() -> i64 {
    14
}

/// The away message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Away {
    /// Whether it is sent.
    pub enabled: bool,
    /// What is sent; `{{name}}` becomes the customer's name.
    pub text: String,
    /// `always`, `outside_hours` or `custom`.
    pub mode: String,
    /// For `custom`: start, `YYYY-MM-DDTHH:MM` in the business's time zone.
    #[serde(default)]
    pub from: Option<String>,
    /// For `custom`: end (exclusive), `YYYY-MM-DDTHH:MM` in the business's time zone.
    #[serde(default)]
    pub until: Option<String>,
    /// Only when no agent of the business is online.
    #[serde(default)]
    pub only_when_no_agent_online: bool,
}

/// One FAQ rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqRule {
    /// Words or phrases (any language); a message containing one matches, ignoring case.
    pub keywords: Vec<String>,
    /// The answer: text, media or interactive content, as in a send request.
    pub reply: Content,
    /// After answering, hand the chat to a human (it becomes pending for the agents).
    #[serde(default)]
    pub handoff: bool,
}

/// `POST /{phone-number-id}/conversational_automation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationalAutomation {
    /// Send a `request_welcome` webhook the first time a person opens the chat.
    #[serde(default)]
    pub enable_welcome_message: bool,
    /// Ice-breakers shown in an empty chat (at most 4, each ≤ 80 characters).
    #[serde(default)]
    pub prompts: Vec<String>,
    /// Commands offered when the person types `/` (at most 30).
    #[serde(default)]
    pub commands: Vec<BotCommand>,
}

/// `POST /{phone-number-id}/conversational_automation`: the fields given change, the others
/// keep their values; unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationalAutomationUpdate {
    /// Send a `request_welcome` webhook the first time a person opens the chat.
    #[serde(default)]
    pub enable_welcome_message: Option<bool>,
    /// Ice-breakers shown in an empty chat (at most 4, each ≤ 80 characters).
    #[serde(default)]
    pub prompts: Option<Vec<String>>,
    /// Commands offered when the person types `/` (at most 30).
    #[serde(default)]
    pub commands: Option<Vec<BotCommand>>,
}

/// A command of the conversational automation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotCommand {
    /// `^[a-zA-Z0-9_]+$`, at most 32 characters.
    pub command_name: String,
    /// At most 256 characters.
    pub command_description: String,
}

/// Opening state shown in the person's client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenState {
    /// Open right now.
    pub open_now: bool,
    /// Next opening, Unix ms, when closed and one is known within a week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<i64>,
    /// When it closes, Unix ms, while it is open (the end of the current run of opening
    /// hours, today's slots joined when one starts where the last ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<i64>,
    /// The time zone the hours are in.
    pub time_zone: String,
}

/// A QR code / short link as `message_qrdls` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrCode {
    /// 14 characters, `[A-Z0-9]`.
    pub code: String,
    /// Text prefilled in the composer.
    pub prefilled_message: String,
    /// `{base}/message/{code}`.
    pub deep_link_url: String,
    /// The image, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_image_url: Option<String>,
}

/// Parameters of `POST /{phone-number-id}/message_qrdls` (JSON body or query string, as
/// pywa and whatsapp-api-js send them); unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrCodeRequest {
    /// Present to update an existing code.
    #[serde(default)]
    pub code: Option<String>,
    /// At most 140 characters.
    #[serde(default)]
    pub prefilled_message: Option<String>,
    /// `SVG` or `PNG`.
    #[serde(default)]
    pub generate_qr_image: Option<String>,
}

/// A QR code with its counters (admin API and console).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrCodeStats {
    /// The code.
    pub code: String,
    /// Prefilled text.
    pub prefilled_message: String,
    /// Times the short link was opened (page views).
    pub scans: i64,
    /// Times it led into a chat.
    pub opens: i64,
}

/// An agent as the console and admin API show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Agent id.
    pub id: String,
    /// WABA id.
    pub waba_id: String,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `admin` or `agent`.
    pub role: String,
    /// Whether the invite was accepted.
    pub active: bool,
    /// `active`, `invited` (the invite is not yet accepted) or `deactivated`.
    #[serde(default)]
    pub status: String,
    /// Seen in the last 90 seconds.
    pub online: bool,
}

/// `PATCH /console/v1/agents/{id}` (admins): a new role, or deactivation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentUpdate {
    /// `admin` or `agent`.
    #[serde(default)]
    pub role: Option<String>,
    /// `false` deactivates the agent: its password, invite and sessions stop working.
    #[serde(default)]
    pub active: Option<bool>,
}

/// Repeated failed sign-ins of an agent (`GET /console/v1/sign-in-alerts`, and the console
/// stream's `sign_in_alert` items), shown to the WABA's admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInAlert {
    /// Alert id.
    pub id: String,
    /// The agent whose password was tried.
    pub agent_id: String,
    /// The agent's sign-in email.
    pub email: String,
    /// Failed sign-ins for the agent in the last day.
    pub failures: i64,
    /// Where the last failure came from (an IPv4 address or an IPv6 /64).
    pub address: String,
    /// No sign-in of the agent is tried before this, Unix ms.
    pub locked_until: i64,
    /// When, Unix ms.
    pub created_at: i64,
}

/// Body to create (invite) an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAgent {
    /// WABA id (admin API only; the console uses the signed-in admin's WABA).
    #[serde(default)]
    pub waba_id: Option<String>,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `admin` or `agent` (default `agent`).
    #[serde(default)]
    pub role: Option<String>,
}

/// A created agent with its one-time invite token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    /// The agent.
    pub agent: Agent,
    /// Shown once; accepted at `/console/#/invite/{token}`.
    pub invite_token: String,
    /// The link to send the agent.
    pub invite_url: String,
}

/// Sign in, or accept an invite with a new password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentLogin {
    /// Email (sign in).
    #[serde(default)]
    pub email: Option<String>,
    /// Invite token (accepting an invite).
    #[serde(default)]
    pub invite_token: Option<String>,
    /// Password (at least 8 characters).
    pub password: String,
}

/// A console session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSessionInfo {
    /// Bearer token for the console API.
    pub token: String,
    /// Who signed in.
    pub agent: Agent,
}

/// A customer chat in the shared inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxChat {
    /// Chat id.
    pub chat_id: String,
    /// The business number's phone-number id.
    pub phone_number_id: String,
    /// The customer's wa_id.
    pub wa_id: String,
    /// The customer's name.
    pub name: String,
    /// `open`, `pending` or `resolved`.
    pub state: String,
    /// Agent handling it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    /// Label ids on this chat.
    pub labels: Vec<String>,
    /// Label ids on the customer as a contact of the WABA (on every number's chat with them).
    #[serde(default)]
    pub contact_labels: Vec<String>,
    /// Customer messages the business has not read.
    pub unread: i64,
    /// Preview of the last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// Last activity, Unix ms.
    pub updated_at: i64,
    /// The oldest customer message not yet answered, Unix ms (none when the business spoke
    /// last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<i64>,
    /// The click-to-chat ad the chat came from ("came from ad …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_origin: Option<crate::ads::AdOrigin>,
}

/// The inbox's business settings: where a resolved or pending chat goes when the customer
/// writes again. `reopen_to` is `agent_if_online` (back to its agent while they are online,
/// otherwise to the unassigned queue; the default), `agent` (back to its agent in any case) or
/// `unassigned` (always to the queue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxSettings {
    /// `agent_if_online`, `agent` or `unassigned`.
    pub reopen_to: String,
}

/// Body of state / assignment changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxUpdate {
    /// New state.
    #[serde(default)]
    pub state: Option<String>,
    /// Assign (or transfer) to this agent id; empty string unassigns.
    #[serde(default)]
    pub assignee_id: Option<String>,
}

/// An internal note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Note id.
    pub id: String,
    /// Author agent id.
    pub agent_id: String,
    /// Text.
    pub body: String,
    /// Unix ms.
    pub created_at: i64,
    /// Agents of the business mentioned in it (`@name`).
    #[serde(default)]
    pub mentions: Vec<String>,
}

/// A label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// Label id (absent when creating).
    #[serde(default)]
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

/// A quick reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuickReply {
    /// Id (absent when creating).
    #[serde(default)]
    pub id: Option<String>,
    /// Typed after `/`, `[a-z0-9_-]`, at most 32.
    pub shortcut: String,
    /// Text (caption with media); `{{name}}` is the customer's name.
    pub body: String,
    /// Media id to send with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
}

/// One of the customer's previous orders, in the inbox customer panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerOrder {
    /// The business's reference id.
    pub reference_id: String,
    /// The phone-number id the order was sent from.
    pub phone_number_id: String,
    /// `pending`, `processing`, `partially_shipped`, `shipped`, `completed`, `canceled`.
    pub status: String,
    /// `unpaid`, `pending`, `paid`, `failed`, `refunded`.
    pub payment_status: String,
    /// ISO 4217.
    pub currency: String,
    /// Total in minor units.
    pub total: i64,
    /// Total with the currency's exponent, e.g. `12.50 EUR`.
    pub total_text: String,
    /// Unix ms.
    pub created_at: i64,
}

/// A send the Cloud API accepted and then failed, as the shared inbox shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedSend {
    /// The wamid the Cloud API answered with.
    pub id: String,
    /// Message type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short preview of the content.
    pub preview: String,
    /// Always `failed`.
    pub status: String,
    /// Unix ms.
    pub timestamp: i64,
    /// The error, as in the failed status webhook.
    pub errors: Vec<crate::cloud::StatusError>,
    /// The business number that sent it (in the WABA-wide list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// The recipient as the send named it (in the WABA-wide list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<String>,
}
