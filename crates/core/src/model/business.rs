//! Business-side rows: message templates and business profiles.

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
