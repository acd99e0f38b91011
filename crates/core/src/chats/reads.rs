//! What other domains read of chats: chats and members, messages, history pages, unread
//! counts and the stored event stream. Thin reads of the chats store, so no other domain
//! touches it.

use super::Chats;
use crate::chats::ChatRow;
use crate::chats::MemberRow;
use crate::chats::MessageRow;
use crate::chats::StoredEvent;
use crate::error::Result;

impl Chats {
    /// By id.
    pub async fn chat(&self, id: i64) -> Result<Option<ChatRow>> {
        self.store.chat(id).await
    }

    /// Chats an account is or was in, with its membership, newest activity first.
    pub async fn chats_of(&self, account_id: i64) -> Result<Vec<(ChatRow, MemberRow)>> {
        self.store.chats_of(account_id).await
    }

    /// The direct chat with this key (`min:max` of the two account ids).
    pub async fn direct_chat(&self, key: &str) -> Result<Option<ChatRow>> {
        self.store.direct_chat(key).await
    }

    /// Events of an account with seq > `after`, ascending, at most `limit`.
    pub async fn stored_events_after(
        &self,
        account_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        self.store.events_after(account_id, after, limit).await
    }

    /// Highest event seq of an account.
    pub async fn last_event_seq(&self, account_id: i64) -> Result<i64> {
        self.store.last_event_seq(account_id).await
    }

    /// One membership.
    pub async fn member(&self, chat_id: i64, account_id: i64) -> Result<Option<MemberRow>> {
        self.store.member(chat_id, account_id).await
    }

    /// All memberships of a chat, past ones included.
    pub async fn members(&self, chat_id: i64) -> Result<Vec<MemberRow>> {
        self.store.members(chat_id).await
    }

    /// By id.
    pub async fn message(&self, id: i64) -> Result<Option<MessageRow>> {
        self.store.message(id).await
    }

    /// Up to `limit` messages with seq < `before_seq` (and ≤ `max_seq`), ascending.
    pub async fn messages_before(
        &self,
        chat_id: i64,
        before_seq: Option<i64>,
        max_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<MessageRow>> {
        self.store
            .messages_before(chat_id, before_seq, max_seq, limit)
            .await
    }

    /// Messages from others after `after_seq` (up to `max_seq`), reactions and notes excluded.
    pub async fn unread_count(
        &self,
        chat_id: i64,
        account_id: i64,
        after_seq: i64,
        max_seq: Option<i64>,
    ) -> Result<i64> {
        self.store
            .unread_count(chat_id, account_id, after_seq, max_seq)
            .await
    }
}
