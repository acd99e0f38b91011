//! Rows of the business tools: agents and their sessions, inbox state of a customer chat,
//! internal notes, labels, quick replies, QR short links and the automation bookkeeping.

/// A business's staff member.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRow {
    /// Row id.
    pub id: i64,
    /// The WABA the agent works for.
    pub waba_id: i64,
    /// Sign-in name, lower case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `admin` or `agent`.
    pub role: String,
    /// Argon2 hash; `None` until the invite is accepted.
    pub password_hash: Option<String>,
    /// Hash of the pending invite token.
    pub invite_hash: Option<String>,
    /// Last activity, Unix ms.
    pub last_seen: Option<i64>,
    /// Creation time.
    pub created_at: i64,
}

/// Inbox state of one customer chat of a business number.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    /// The direct chat.
    pub chat_id: i64,
    /// The business number.
    pub business_id: i64,
    /// `open`, `pending` or `resolved`.
    pub state: String,
    /// The agent handling it.
    pub assignee_id: Option<i64>,
    /// Last change.
    pub updated_at: i64,
}

/// An internal note on a chat, seen by agents only.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    /// Row id.
    pub id: i64,
    /// The chat.
    pub chat_id: i64,
    /// Who wrote it.
    pub agent_id: i64,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: i64,
}

/// A coloured label of a WABA.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRow {
    /// Row id.
    pub id: i64,
    /// Owner.
    pub waba_id: i64,
    /// Name, unique per WABA.
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// Creation time.
    pub created_at: i64,
}

/// A saved reply of a WABA.
#[derive(Debug, Clone, PartialEq)]
pub struct QuickReplyRow {
    /// Row id.
    pub id: i64,
    /// Owner.
    pub waba_id: i64,
    /// Shortcut typed after `/`.
    pub shortcut: String,
    /// Text (or caption), with `{{name}}` variables.
    pub body: String,
    /// Optional media id.
    pub media_id: Option<i64>,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// A QR short link of a business number.
#[derive(Debug, Clone, PartialEq)]
pub struct QrRow {
    /// 14 characters.
    pub code: String,
    /// The business number.
    pub business_id: i64,
    /// Prefilled text.
    pub prefilled_message: String,
    /// Page views of the short link.
    pub scans: i64,
    /// Chats opened from it.
    pub opens: i64,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// Repeated failed console sign-ins of an agent, as the WABA's admins are told of them.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInAlertRow {
    /// Row id.
    pub id: i64,
    /// The agent's WABA.
    pub waba_id: i64,
    /// The agent whose password was tried.
    pub agent_id: i64,
    /// Failed sign-ins for the agent in the last day when this was raised.
    pub failures: i64,
    /// The address (or IPv6 /64) the last failure came from.
    pub address: String,
    /// No sign-in of the agent is tried before this, Unix ms.
    pub locked_until: i64,
    /// When, Unix ms.
    pub created_at: i64,
}
