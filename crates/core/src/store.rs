//! The store traits: one per aggregate, bundled into [`Store`]. The `wasla-store` crate
//! implements them on SQLite and PostgreSQL; services only ever see `Arc<dyn Store>`.

use crate::error::Result;
use crate::model::*;
use async_trait::async_trait;
use std::collections::HashMap;

/// People and business numbers, sessions and verification codes.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Insert an account; `Conflict` if the wa_id is taken.
    async fn create_account(&self, row: &AccountRow) -> Result<()>;
    /// By row id.
    async fn account(&self, id: i64) -> Result<Option<AccountRow>>;
    /// By wa_id.
    async fn account_by_wa_id(&self, wa_id: &str) -> Result<Option<AccountRow>>;
    /// Several by id, in no particular order.
    async fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>>;
    /// Replace the profile fields and append a profile event; returns the event.
    async fn update_profile(&self, row: &AccountRow, now: i64) -> Result<EventSeq>;
    /// Record when an account was last online.
    async fn set_last_seen(&self, id: i64, at: i64) -> Result<()>;
    /// Store (replace) the pending code for a number.
    async fn put_code(&self, row: &CodeRow) -> Result<()>;
    /// The pending code for a number.
    async fn code(&self, phone: &str) -> Result<Option<CodeRow>>;
    /// Count a wrong guess.
    async fn bump_code_attempts(&self, phone: &str) -> Result<()>;
    /// Forget the code.
    async fn delete_code(&self, phone: &str) -> Result<()>;
    /// Record a session by its token hash.
    async fn create_session(&self, row: &SessionRow, token_hash: &str) -> Result<()>;
    /// The live session with this token hash.
    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    /// Revoke a session.
    async fn revoke_session(&self, id: i64, at: i64) -> Result<()>;
}

/// WABAs, apps and business tokens. Phone numbers are business accounts.
#[async_trait]
pub trait BusinessStore: Send + Sync {
    /// Insert a WABA.
    async fn create_waba(&self, row: &WabaRow) -> Result<()>;
    /// By id.
    async fn waba(&self, id: i64) -> Result<Option<WabaRow>>;
    /// All WABAs.
    async fn wabas(&self) -> Result<Vec<WabaRow>>;
    /// Business numbers of a WABA.
    async fn phone_numbers(&self, waba_id: i64) -> Result<Vec<AccountRow>>;
    /// Insert an app.
    async fn create_app(&self, row: &AppRow) -> Result<()>;
    /// Apps of a WABA.
    async fn apps(&self, waba_id: i64) -> Result<Vec<AppRow>>;
    /// Record a business token by its hash.
    async fn create_business_token(
        &self,
        id: i64,
        waba_id: i64,
        token_hash: &str,
        at: i64,
    ) -> Result<()>;
    /// The WABA of a live business token.
    async fn business_token(&self, token_hash: &str) -> Result<Option<i64>>;
    /// A business number's profile fields (defaults when never set).
    async fn business_profile(&self, account_id: i64) -> Result<BusinessProfileRow>;
    /// Save a business number's profile and its about line and photo.
    async fn save_business_profile(
        &self,
        account: &AccountRow,
        profile: &BusinessProfileRow,
    ) -> Result<()>;
    /// Subscribe or unsubscribe every app of a WABA to its webhooks.
    async fn set_subscribed(&self, waba_id: i64, subscribed: bool) -> Result<()>;
    /// Set or clear the WABA's callback override (and its verify token).
    async fn set_callback_override(
        &self,
        waba_id: i64,
        uri: Option<&str>,
        verify_token: Option<&str>,
    ) -> Result<()>;
    /// The WABA's subscribed apps and its callback override.
    async fn subscriptions(&self, waba_id: i64) -> Result<(Vec<AppRow>, Option<String>)>;
    /// Revoke a business token; false if there was none.
    async fn revoke_business_token(&self, id: i64, at: i64) -> Result<bool>;
}

/// Chats and memberships.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// The direct chat with this key (`min:max` of the two account ids).
    async fn direct_chat(&self, key: &str) -> Result<Option<ChatRow>>;
    /// Insert a chat with members and events in one transaction. For a direct chat whose key
    /// exists already, nothing is written and `None` comes back.
    async fn insert_chat(
        &self,
        chat: &ChatRow,
        direct_key: Option<&str>,
        members: &[MemberRow],
        events: &[NewEvent],
    ) -> Result<Option<Vec<EventSeq>>>;
    /// Update subject/photo, upsert the given members and append events, in one transaction.
    async fn update_chat(
        &self,
        chat: &ChatRow,
        members: &[MemberRow],
        events: &[NewEvent],
    ) -> Result<Vec<EventSeq>>;
    /// By id.
    async fn chat(&self, id: i64) -> Result<Option<ChatRow>>;
    /// All memberships of a chat, past ones included.
    async fn members(&self, chat_id: i64) -> Result<Vec<MemberRow>>;
    /// One membership.
    async fn member(&self, chat_id: i64, account_id: i64) -> Result<Option<MemberRow>>;
    /// Chats an account is or was in, with its membership, newest activity first.
    async fn chats_of(&self, account_id: i64) -> Result<Vec<(ChatRow, MemberRow)>>;
    /// Messages from others after `after_seq` (up to `max_seq`), reactions and notes excluded.
    async fn unread_count(
        &self,
        chat_id: i64,
        account_id: i64,
        after_seq: i64,
        max_seq: Option<i64>,
    ) -> Result<i64>;
}

/// Messages, receipts and event streams. `commit_message` and `update_receipts` are group
/// committed: concurrent calls share one transaction.
#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Store a message with its receipts, events and outbox rows atomically.
    async fn commit_message(&self, m: NewMessage) -> Result<Committed>;
    /// Apply receipts; returns the events written (status events to senders, a read event
    /// to the reader).
    async fn update_receipts(&self, u: ReceiptUpdate) -> Result<Vec<StoredEvent>>;
    /// By id.
    async fn message(&self, id: i64) -> Result<Option<MessageRow>>;
    /// Up to `limit` messages with seq < `before_seq` (and ≤ `max_seq`), ascending.
    async fn messages_before(
        &self,
        chat_id: i64,
        before_seq: Option<i64>,
        max_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MessageRow>>;
    /// Per-recipient receipts: (account id, status, updated_at).
    async fn receipts(&self, message_id: i64) -> Result<Vec<(i64, ReceiptStatus, i64)>>;
    /// Aggregate (lowest) status over recipients of each message.
    async fn aggregate_status(&self, message_ids: &[i64]) -> Result<HashMap<i64, ReceiptStatus>>;
    /// Events of an account with seq > `after`, ascending, at most `limit`.
    async fn events_after(
        &self,
        account_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>>;
    /// Append events outside a message commit.
    async fn append_events(&self, events: &[NewEvent], now: i64) -> Result<Vec<EventSeq>>;
    /// Highest event seq of an account.
    async fn last_event_seq(&self, account_id: i64) -> Result<i64>;
}

/// Media metadata (bytes live in a [`crate::blob::BlobStore`]).
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Insert.
    async fn insert_media(&self, row: &MediaRow) -> Result<()>;
    /// By id.
    async fn media(&self, id: i64) -> Result<Option<MediaRow>>;
    /// Forget a media object (its bytes are removed separately).
    async fn delete_media(&self, id: i64) -> Result<()>;
    /// Whether the account uploaded it, or it was sent in a chat the account can read, or
    /// it is the photo of an account or chat.
    async fn media_visible_to(&self, media_id: i64, account_id: i64) -> Result<bool>;
}

/// Webhook deliveries (the outbox), their attempts, and the customer service windows.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Queue a webhook outside a message commit (e.g. a send that failed before storing).
    async fn enqueue_webhook(&self, work: &WebhookWork, now: i64) -> Result<()>;
    /// Lease up to `limit` due deliveries until `lease_until`.
    async fn claim_webhooks(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>>;
    /// Record attempts and what happens next to each row, in one transaction.
    async fn record_attempts(&self, attempts: Vec<AttemptRecord>) -> Result<()>;
    /// An app's deliveries, newest first, with ids below `before` when given.
    async fn deliveries(
        &self,
        app_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>>;
    /// Queue a delivery again now (delivered or failed ones included); false if unknown.
    async fn redeliver(&self, id: i64, now: i64) -> Result<bool>;
    /// Number of deliveries not yet delivered or given up.
    async fn pending_webhooks(&self) -> Result<i64>;
    /// One app.
    async fn app(&self, id: i64) -> Result<Option<AppRow>>;
    /// When the person last wrote to the business number, Unix ms.
    async fn last_inbound(&self, business_id: i64, person_id: i64) -> Result<Option<i64>>;
}

/// Filters for listing templates.
#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    /// Exact name.
    pub name: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Language.
    pub language: Option<String>,
}

/// Message templates.
#[async_trait]
pub trait TemplateStore: Send + Sync {
    /// Insert; `Conflict` if the WABA has the name in that language.
    async fn create_template(&self, row: &TemplateRow) -> Result<()>;
    /// By id.
    async fn template(&self, id: i64) -> Result<Option<TemplateRow>>;
    /// By WABA, name and language.
    async fn template_by_name(
        &self,
        waba_id: i64,
        name: &str,
        language: &str,
    ) -> Result<Option<TemplateRow>>;
    /// A page of a WABA's templates with ids above `after`, ascending.
    async fn templates(
        &self,
        waba_id: i64,
        filter: &TemplateFilter,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<TemplateRow>>;
    /// How many templates a WABA has.
    async fn count_templates(&self, waba_id: i64) -> Result<i64>;
    /// Save changed fields (category, components, status, reason, updated_at), and queue the
    /// status webhook if one is given, in one transaction.
    async fn save_template(&self, row: &TemplateRow, webhook: Option<&WebhookWork>) -> Result<()>;
    /// Delete a WABA's templates of a name (one id only, when given); returns how many.
    async fn delete_templates(&self, waba_id: i64, name: &str, id: Option<i64>) -> Result<u64>;
    /// Turn automatic approval on or off for a WABA.
    async fn set_auto_approve(&self, waba_id: i64, on: bool) -> Result<()>;
}

/// Catalogs, products and commerce settings.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Insert a catalog; `Conflict` if the WABA has one.
    async fn create_catalog(&self, row: &CatalogRow) -> Result<()>;
    /// By id.
    async fn catalog(&self, id: i64) -> Result<Option<CatalogRow>>;
    /// The WABA's catalog.
    async fn catalog_of_waba(&self, waba_id: i64) -> Result<Option<CatalogRow>>;
    /// Insert a product; `Conflict` if the retailer id is taken in its catalog.
    async fn insert_product(&self, row: &ProductRow) -> Result<()>;
    /// Save every field of an existing product.
    async fn update_product(&self, row: &ProductRow) -> Result<()>;
    /// By id.
    async fn product(&self, id: i64) -> Result<Option<ProductRow>>;
    /// By catalog and retailer id.
    async fn product_by_retailer_id(
        &self,
        catalog_id: i64,
        retailer_id: &str,
    ) -> Result<Option<ProductRow>>;
    /// A page of a catalog's products with ids above `after`, ascending.
    async fn products(
        &self,
        catalog_id: i64,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ProductRow>>;
    /// Delete a product; false if it did not exist.
    async fn delete_product(&self, id: i64) -> Result<bool>;
    /// A number's commerce settings (defaults when never set).
    async fn commerce_settings(&self, account_id: i64) -> Result<CommerceSettings>;
    /// Save a number's commerce settings.
    async fn save_commerce_settings(
        &self,
        account_id: i64,
        settings: CommerceSettings,
        now: i64,
    ) -> Result<()>;
}

/// Orders, payments and the fee ledger.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Insert an order, or replace the amounts of an unpaid one with the same reference id;
    /// `Conflict` when that order is paid or being paid. Returns the stored row.
    async fn put_order(&self, row: &OrderRow) -> Result<OrderRow>;
    /// By business number and reference id.
    async fn order_by_reference(
        &self,
        business_id: i64,
        reference_id: &str,
    ) -> Result<Option<OrderRow>>;
    /// By id.
    async fn order(&self, id: i64) -> Result<Option<OrderRow>>;
    /// A business number's orders, newest first.
    async fn orders_of_business(&self, business_id: i64, limit: i64) -> Result<Vec<OrderRow>>;
    /// Set an order's status.
    async fn set_order_status(&self, id: i64, status: &str, now: i64) -> Result<()>;
    /// Record a new payment and mark its order as being paid, unless the order is already
    /// paid or being paid (then false and nothing changes).
    async fn start_payment(&self, row: &PaymentRow) -> Result<bool>;
    /// By id.
    async fn payment(&self, id: i64) -> Result<Option<PaymentRow>>;
    /// By transaction id.
    async fn payment_by_transaction(&self, transaction_id: &str) -> Result<Option<PaymentRow>>;
    /// The latest payment of an order.
    async fn latest_payment(&self, order_id: i64) -> Result<Option<PaymentRow>>;
    /// Pending payments due to settle by `now`.
    async fn due_payments(&self, now: i64, limit: i64) -> Result<Vec<PaymentRow>>;
    /// Apply a settlement if the payment is still in the state it expects (`pending`, or
    /// `success` for a refund), with its ledger line and webhook, in one transaction. False
    /// when it was settled before: a retried callback changes nothing.
    async fn settle_payment(&self, s: &Settlement) -> Result<bool>;
    /// A business number's ledger lines, newest first.
    async fn ledger(&self, business_id: i64) -> Result<Vec<LedgerRow>>;
}

/// Everything, as one object.
pub trait Store:
    AccountStore
    + BusinessStore
    + ChatStore
    + MessageStore
    + MediaStore
    + WebhookStore
    + TemplateStore
    + CatalogStore
    + OrderStore
    + AgentStore
    + ToolsStore
    + ContactStore
{
}

impl<T> Store for T where
    T: AccountStore
        + BusinessStore
        + ChatStore
        + MessageStore
        + MediaStore
        + WebhookStore
        + TemplateStore
        + CatalogStore
        + OrderStore
        + AgentStore
        + ToolsStore
        + ContactStore
{
}

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
    /// A person's orders with any phone number of a WABA, newest first.
    async fn customer_orders(
        &self,
        waba_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<OrderRow>>;
}

/// What a business keeps about its contacts: labels on a customer across the WABA's numbers,
/// and sends that failed asynchronously.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Put a label on a contact or take it off.
    async fn set_contact_label(&self, label_id: i64, person_id: i64, on: bool) -> Result<()>;
    /// `(person_id, label_id)` of these people's labels of one WABA.
    async fn contact_labels(&self, waba_id: i64, person_ids: &[i64]) -> Result<Vec<(i64, i64)>>;
    /// Record a send that failed asynchronously.
    async fn put_failed_send(&self, row: &FailedSendRow) -> Result<()>;
    /// The latest failed sends of a business number to a person, oldest first.
    async fn failed_sends(
        &self,
        business_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FailedSendRow>>;
    /// The latest failed sends of these business numbers to anyone, newest first.
    async fn failed_sends_of(&self, business_ids: &[i64], limit: i64)
        -> Result<Vec<FailedSendRow>>;
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
