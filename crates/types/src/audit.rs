//! The audit log as the admin API (`GET /admin/v1/audit`), the console
//! (`GET /console/v1/audit`) and `wasla admin audit --json` show it: who did what to which
//! business, with what outcome, when and from where.

use serde::{Deserialize, Serialize};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditActor {
    /// `operator`, `agent` or `business_token`.
    pub kind: String,
    /// The agent's id, or the WABA a business token acts for; none for the operator.
    pub id: Option<String>,
    /// The agent's sign-in email.
    pub email: Option<String>,
}

/// One audited action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Entry id (numeric string; pages go `before` it).
    pub id: String,
    /// When, Unix ms.
    pub at: i64,
    /// The business (WABA) acted on, when the call names one.
    pub waba_id: Option<String>,
    /// Who acted.
    pub actor: AuditActor,
    /// HTTP method.
    pub method: String,
    /// The route template, e.g. `/console/v1/labels/{id}`.
    pub route: String,
    /// The ids the path named (`name=value`, space-separated) and what the call created
    /// (`created=<id>`).
    pub target: Option<String>,
    /// The HTTP status the call was answered with.
    pub status: u16,
    /// The client's address.
    pub client_address: Option<String>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The entries.
    pub data: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<String>,
}
