//! Admin API (`/admin/v1`) bodies: businesses (WABAs), phone numbers, apps, business tokens,
//! and acting as a person for demos and tests.

use serde::{Deserialize, Serialize};

/// A business account (WABA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waba {
    /// Numeric string id.
    pub id: String,
    /// The business name.
    pub name: String,
    /// Creation time, Unix ms.
    pub created_at: i64,
}

/// `POST /admin/v1/businesses` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewWaba {
    /// The business name.
    pub name: String,
}

/// A business phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// The phone-number id (numeric string).
    pub id: String,
    /// The owning WABA.
    pub waba_id: String,
    /// E.164 with `+`.
    pub display_phone_number: String,
    /// Digits only.
    pub wa_id: String,
    /// The verified name people see.
    pub verified_name: String,
}

/// `POST /admin/v1/phone-numbers` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewPhoneNumber {
    /// Owning WABA id.
    pub waba_id: String,
    /// The number in any common format.
    pub number: String,
    /// The name people see.
    pub verified_name: String,
}

/// An app: where a WABA's webhooks go and the secret that signs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct App {
    /// Numeric string id.
    pub id: String,
    /// The owning WABA.
    pub waba_id: String,
    /// The callback URL.
    pub webhook_url: String,
    /// The verify token echoed in the handshake.
    pub verify_token: String,
    /// The app secret (shown when created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<String>,
}

/// `POST /admin/v1/apps` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewApp {
    /// Owning WABA id.
    pub waba_id: String,
    /// Callback URL.
    pub webhook_url: String,
    /// Verify token.
    pub verify_token: String,
}

/// A business access token, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// Numeric string id (for revoking).
    pub id: String,
    /// The WABA it acts for.
    pub waba_id: String,
    /// The secret token.
    pub access_token: String,
}

/// `POST /admin/v1/tokens` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewToken {
    /// The WABA the token acts for.
    pub waba_id: String,
}

/// `POST /admin/v1/persons` body: registers a person without a verification code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewPerson {
    /// The phone number.
    pub phone: String,
    /// Display name.
    pub name: String,
}

/// `POST /admin/v1/persons/{wa_id}/messages` body: a text sent as that person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonText {
    /// Recipient number (person or business).
    pub to: String,
    /// The text.
    pub text: String,
}

/// A list response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct List<T> {
    /// The items.
    pub data: Vec<T>,
}

/// One line of an app's webhook delivery log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Delivery id.
    pub id: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// HTTP status of the last attempt.
    pub last_status: Option<i64>,
    /// Error of the last attempt.
    pub last_error: Option<String>,
    /// Next attempt (pending ones), Unix ms.
    pub next_attempt_at: Option<i64>,
    /// When the event happened, Unix ms.
    pub created_at: i64,
    /// When it was delivered, Unix ms.
    pub delivered_at: Option<i64>,
    /// What it reports.
    pub event: serde_json::Value,
}
