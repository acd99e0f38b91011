//! The tools domain, what the business console and the automation worker keep: agents and
//! their sessions (`agents`, `agent_sessions`), the shared inbox and notes (`inbox_chats`,
//! `chat_notes`), labels on chats and contacts (`labels`, `chat_labels`, `contact_labels`),
//! quick replies (`quick_replies`), QR short links (`qr_codes`), the automation worker's
//! bookkeeping (`automation_settings`, `automation_cursors`, `automation_replies`) and alerts
//! about failed sign-ins (`sign_in_alerts`), and the inbox worker's reopen rule and cursor
//! (`inbox_settings`, `inbox_cursors`, in `inbox_work.rs`).
//! Implements `wasla_core::tools`' [`AgentStore`](wasla_core::tools::AgentStore),
//! [`ContactStore`](wasla_core::tools::ContactStore) and [`ToolsStore`]. The highest domain:
//! it reads a customer's orders with the commerce row decoder.
//!
//! [`ToolsStore`] is one wide trait, so its impl below is a table that hands each method to
//! the file of its responsibility.

mod agents;
mod automation;
mod contacts;
mod inbox;
mod inbox_work;
mod labels;
mod qr;
mod replies;
mod sign_in_alerts;

use crate::SqlStore;
use async_trait::async_trait;
use wasla_core::tools::{InboxRow, LabelRow, NoteRow, QrRow, QuickReplyRow, ToolsStore};
use wasla_core::Result;

#[async_trait]
impl ToolsStore for SqlStore {
    async fn inbox(&self, chat_id: i64) -> Result<Option<InboxRow>> {
        inbox::inbox(self, chat_id).await
    }

    async fn inbox_of(&self, business_id: i64) -> Result<Vec<InboxRow>> {
        inbox::inbox_of(self, business_id).await
    }

    async fn put_inbox(&self, row: &InboxRow) -> Result<()> {
        inbox::put_inbox(self, row).await
    }

    async fn claim_inbox(&self, row: &InboxRow, expected: Option<i64>) -> Result<bool> {
        inbox::claim_inbox(self, row, expected).await
    }

    async fn add_note(&self, n: &NoteRow) -> Result<()> {
        inbox::add_note(self, n).await
    }

    async fn notes(&self, chat_id: i64) -> Result<Vec<NoteRow>> {
        inbox::notes(self, chat_id).await
    }

    async fn create_label(&self, l: &LabelRow) -> Result<()> {
        labels::create_label(self, l).await
    }

    async fn labels(&self, waba_id: i64) -> Result<Vec<LabelRow>> {
        labels::labels(self, waba_id).await
    }

    async fn delete_label(&self, waba_id: i64, id: i64) -> Result<bool> {
        labels::delete_label(self, waba_id, id).await
    }

    async fn set_chat_label(&self, label_id: i64, chat_id: i64, on: bool) -> Result<()> {
        labels::set_chat_label(self, label_id, chat_id, on).await
    }

    async fn chat_labels(&self, chat_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        labels::chat_labels(self, chat_ids).await
    }

    async fn put_quick_reply(&self, q: &QuickReplyRow) -> Result<()> {
        replies::put_quick_reply(self, q).await
    }

    async fn quick_replies(&self, waba_id: i64) -> Result<Vec<QuickReplyRow>> {
        replies::quick_replies(self, waba_id).await
    }

    async fn delete_quick_reply(&self, waba_id: i64, id: i64) -> Result<bool> {
        replies::delete_quick_reply(self, waba_id, id).await
    }

    async fn automation_settings(&self, business_id: i64) -> Result<Option<String>> {
        automation::automation_settings(self, business_id).await
    }

    async fn save_automation_settings(
        &self,
        business_id: i64,
        json: &str,
        at: i64,
        start_seq: i64,
    ) -> Result<()> {
        automation::save_automation_settings(self, business_id, json, at, start_seq).await
    }

    async fn automated_numbers(&self) -> Result<Vec<i64>> {
        automation::automated_numbers(self).await
    }

    async fn lease_cursor(
        &self,
        business_id: i64,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<i64>> {
        automation::lease_cursor(self, business_id, now, lease_until).await
    }

    async fn save_cursor(&self, business_id: i64, last_seq: i64) -> Result<()> {
        automation::save_cursor(self, business_id, last_seq).await
    }

    async fn record_reply(
        &self,
        business_id: i64,
        trigger_key: &str,
        kind: &str,
        person_id: i64,
        at: i64,
    ) -> Result<bool> {
        automation::record_reply(self, business_id, trigger_key, kind, person_id, at).await
    }

    async fn create_qr(&self, q: &QrRow) -> Result<()> {
        qr::create_qr(self, q).await
    }

    async fn qr(&self, code: &str) -> Result<Option<QrRow>> {
        qr::qr(self, code).await
    }

    async fn qrs(&self, business_id: i64, before: Option<i64>, limit: i64) -> Result<Vec<QrRow>> {
        qr::qrs(self, business_id, before, limit).await
    }

    async fn update_qr(&self, code: &str, text: &str, at: i64) -> Result<()> {
        qr::update_qr(self, code, text, at).await
    }

    async fn delete_qr(&self, code: &str) -> Result<()> {
        qr::delete_qr(self, code).await
    }

    async fn count_qr(&self, code: &str, open: bool) -> Result<()> {
        qr::count_qr(self, code, open).await
    }
}
