//! The tools domain's storage: agents and their sessions, contacts' labels and failed sends,
//! the inbox, labels, quick replies, automation settings and QR codes.

use super::rows::*;
use crate::commerce::OrderRow;
use crate::error::Result;
use async_trait::async_trait;

/// Agents of a WABA and their sessions.
#[async_trait]
pub trait AgentStore: Send + Sync {
    /// Insert; `Conflict` if the email is taken.
    async fn create_agent(&self, row: &AgentRow) -> Result<()>;
    /// By id.
    async fn agent(&self, id: i64) -> Result<Option<AgentRow>>;
    /// By email.
    async fn agent_by_email(&self, email: &str) -> Result<Option<AgentRow>>;
    /// By pending invite hash.
    async fn agent_by_invite(&self, invite_hash: &str) -> Result<Option<AgentRow>>;
    /// Agents of a WABA, oldest first.
    async fn agents(&self, waba_id: i64) -> Result<Vec<AgentRow>>;
    /// Set the password and clear the invite.
    async fn set_agent_password(&self, id: i64, password_hash: &str) -> Result<()>;
    /// Record a session by its token hash.
    async fn create_agent_session(
        &self,
        id: i64,
        agent_id: i64,
        token_hash: &str,
        at: i64,
    ) -> Result<()>;
    /// The agent of a live session.
    async fn agent_session(&self, token_hash: &str) -> Result<Option<(i64, AgentRow)>>;
    /// Revoke a session.
    async fn revoke_agent_session(&self, id: i64, at: i64) -> Result<()>;
    /// Record activity.
    async fn touch_agent(&self, id: i64, at: i64) -> Result<()>;
    /// Change an agent's role (`admin` or `agent`).
    async fn set_agent_role(&self, id: i64, role: &str) -> Result<()>;
    /// Deactivate an agent: clear its password and pending invite and revoke its sessions.
    async fn deactivate_agent(&self, id: i64, at: i64) -> Result<()>;
    /// A person's orders with any phone number of a WABA, newest first.
    async fn customer_orders(
        &self,
        waba_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<OrderRow>>;
}

/// What a business keeps about its contacts: labels on a customer across the WABA's numbers.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Put a label on a contact or take it off.
    async fn set_contact_label(&self, label_id: i64, person_id: i64, on: bool) -> Result<()>;
    /// `(person_id, label_id)` of these people's labels of one WABA.
    async fn contact_labels(&self, waba_id: i64, person_ids: &[i64]) -> Result<Vec<(i64, i64)>>;
}

/// The shared inbox, labels, quick replies, QR codes and automation bookkeeping.
#[async_trait]
pub trait ToolsStore: Send + Sync {
    /// Inbox state of a chat.
    async fn inbox(&self, chat_id: i64) -> Result<Option<InboxRow>>;
    /// Inbox states of a business number's chats.
    async fn inbox_of(&self, business_id: i64) -> Result<Vec<InboxRow>>;
    /// Insert or replace the inbox state of a chat.
    async fn put_inbox(&self, row: &InboxRow) -> Result<()>;
    /// Set state and assignee only if the current assignee is `expected` (compare and swap);
    /// false when someone else changed it first.
    async fn claim_inbox(&self, row: &InboxRow, expected: Option<i64>) -> Result<bool>;
    /// Add a note.
    async fn add_note(&self, row: &NoteRow) -> Result<()>;
    /// Notes of a chat, oldest first.
    async fn notes(&self, chat_id: i64) -> Result<Vec<NoteRow>>;
    /// Insert a label; `Conflict` on a duplicate name.
    async fn create_label(&self, row: &LabelRow) -> Result<()>;
    /// Labels of a WABA.
    async fn labels(&self, waba_id: i64) -> Result<Vec<LabelRow>>;
    /// Delete a label of a WABA (and its uses); false if unknown.
    async fn delete_label(&self, waba_id: i64, id: i64) -> Result<bool>;
    /// Put a label on a chat or take it off.
    async fn set_chat_label(&self, label_id: i64, chat_id: i64, on: bool) -> Result<()>;
    /// Label ids of chats.
    async fn chat_labels(&self, chat_ids: &[i64]) -> Result<Vec<(i64, i64)>>;
    /// Insert or update (by id) a quick reply; `Conflict` on a duplicate shortcut.
    async fn put_quick_reply(&self, row: &QuickReplyRow) -> Result<()>;
    /// Quick replies of a WABA, by shortcut.
    async fn quick_replies(&self, waba_id: i64) -> Result<Vec<QuickReplyRow>>;
    /// Delete a quick reply of a WABA; false if unknown.
    async fn delete_quick_reply(&self, waba_id: i64, id: i64) -> Result<bool>;
    /// Automation settings JSON of a business number.
    async fn automation_settings(&self, business_id: i64) -> Result<Option<String>>;
    /// Save them; the first save starts the number's event cursor at `start_seq`, so only
    /// events from then on are automated.
    async fn save_automation_settings(
        &self,
        business_id: i64,
        json: &str,
        at: i64,
        start_seq: i64,
    ) -> Result<()>;
    /// Business numbers with automation settings.
    async fn automated_numbers(&self) -> Result<Vec<i64>>;
    /// Lease a number's event cursor until `lease_until`; returns the last seq handled, or
    /// `None` while another worker holds it.
    async fn lease_cursor(
        &self,
        business_id: i64,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<i64>>;
    /// Move the cursor and release the lease.
    async fn save_cursor(&self, business_id: i64, last_seq: i64) -> Result<()>;
    /// Record that an automation answered a trigger; false if one already did.
    async fn record_reply(
        &self,
        business_id: i64,
        trigger_key: &str,
        kind: &str,
        person_id: i64,
        at: i64,
    ) -> Result<bool>;
    /// Insert a QR code.
    async fn create_qr(&self, row: &QrRow) -> Result<()>;
    /// By code.
    async fn qr(&self, code: &str) -> Result<Option<QrRow>>;
    /// A business number's QR codes, newest first, created before `before` when given.
    async fn qrs(&self, business_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<QrRow>>;
    /// Change the prefilled text.
    async fn update_qr(&self, code: &str, text: &str, at: i64) -> Result<()>;
    /// Delete.
    async fn delete_qr(&self, code: &str) -> Result<()>;
    /// Count a scan (page view) or an open (chat started).
    async fn count_qr(&self, code: &str, open: bool) -> Result<()>;
}

/// Alerts about repeated failed console sign-ins.
#[async_trait]
pub trait SignInAlertStore: Send + Sync {
    /// Record an alert.
    async fn put_sign_in_alert(&self, row: &SignInAlertRow) -> Result<()>;
    /// A WABA's latest alerts, newest first.
    async fn sign_in_alerts(&self, waba_id: i64, limit: i64) -> Result<Vec<SignInAlertRow>>;
}

/// What the inbox worker keeps: the business's reopen rule and, per business number, the
/// cursor into its event stream.
#[async_trait]
pub trait InboxWorkStore: Send + Sync {
    /// The WABA's reopen rule, when one was chosen.
    async fn inbox_reopen_to(&self, waba_id: i64) -> Result<Option<String>>;
    /// Choose the WABA's reopen rule.
    async fn set_inbox_reopen_to(&self, waba_id: i64, reopen_to: &str, at: i64) -> Result<()>;
    /// Business numbers of WABAs that have console agents.
    async fn staffed_numbers(&self) -> Result<Vec<i64>>;
    /// Lease a number's inbox cursor until `lease_until` (created at 0 when new); returns the
    /// last seq handled, or `None` while another worker holds it.
    async fn lease_inbox_cursor(
        &self,
        business_id: i64,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<i64>>;
    /// Move the inbox cursor and release the lease.
    async fn save_inbox_cursor(&self, business_id: i64, last_seq: i64) -> Result<()>;
}

/// Everything the tools domain stores.
pub trait ToolsStorage:
    AgentStore + ContactStore + ToolsStore + SignInAlertStore + InboxWorkStore
{
}
impl<T: AgentStore + ContactStore + ToolsStore + SignInAlertStore + InboxWorkStore> ToolsStorage
    for T
{
}
