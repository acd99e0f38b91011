//! Rows of the integration domain: message templates, and webhook work: events written to the
//! outbox with the change that caused them, claimed deliveries, attempts and the delivery log.

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

/// A send the Cloud API accepted and then failed asynchronously, for the business side only.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedSendRow {
    /// Row id.
    pub id: i64,
    /// The business number.
    pub business_id: i64,
    /// The person it was for; none when the number is not a person on this server (131026).
    pub person_id: Option<i64>,
    /// The recipient's wa_id as the send named it.
    pub wa_id: String,
    /// The wamid the Cloud API answered with.
    pub wamid: String,
    /// Message type (`text`, `image`, …).
    pub kind: String,
    /// Short preview of the content.
    pub preview: String,
    /// Graph error code (131047, 131053, …).
    pub error_code: i64,
    /// Unix ms.
    pub created_at: i64,
}

/// What one node used of a rate-limit bucket since its last sync (times in microseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct RateUse {
    /// The business number.
    pub number_id: i64,
    /// The person (0: the number's own bucket).
    pub person_id: i64,
    /// When the use began.
    pub since_us: i64,
    /// How much: intervals taken, as time.
    pub used_us: i64,
}

/// A rate-limit bucket as every node's use left it in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct RateState {
    /// The business number.
    pub number_id: i64,
    /// The person (0: the number's own bucket).
    pub person_id: i64,
    /// When the bucket is full again, microseconds.
    pub full_at_us: i64,
}
