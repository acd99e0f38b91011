//! Rows of the business domain: WABAs, apps and business profiles.

use serde::{Deserialize, Serialize};

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
