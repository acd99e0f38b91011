//! The chats domain's storage: chats and members, messages, receipts and event streams.

use super::rows::*;
use crate::accounts::EventSeq;
use crate::error::Result;
use async_trait::async_trait;
use std::collections::HashMap;

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
    /// When the person last wrote to the business number, Unix ms.
    async fn last_inbound(&self, business_id: i64, person_id: i64) -> Result<Option<i64>>;
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

/// Everything the chats domain stores.
pub trait ChatsStorage: ChatStore + MessageStore {}
impl<T: ChatStore + MessageStore> ChatsStorage for T {}
