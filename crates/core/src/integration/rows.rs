//! Rows of the integration domain: message templates, and webhook work: events written to the
//! outbox with the change that caused them, claimed deliveries, attempts and the delivery log.

use serde::{Deserialize, Serialize};

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
    /// Not attempted: the app's receiver is paused or busy (see the delivery gate); due again
    /// at this time (Unix ms), with its attempts unchanged.
    PutBack(i64),
}

/// One delivery attempt to record, with what happens next.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord {
    /// The outbox row.
    pub outbox_id: i64,
    /// 1 for the first attempt.
    pub attempt: i64,
    /// When it ended, Unix ms.
    pub at: i64,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<i64>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// How long the POST took.
    pub duration_ms: i64,
    /// Delivered, retry later, or give up.
    pub outcome: AttemptOutcome,
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
