//! Chats: direct chats between two accounts and groups of people, their members and roles,
//! the one send path every sender goes through (validate, commit message, receipts, events and
//! outbox rows in one transaction, then publish), receipts coming back from devices, the event
//! stream a device syncs from, and the facts of the hot path it keeps in memory (members of
//! recent chats, direct chat ids, customer service windows). Uses accounts.

mod as_person;
mod groups;
mod interactive;
mod membership_cache;
mod notes;
mod reads;
mod receipts;
mod rows;
mod send;
mod store;
mod sync;
mod views;
mod windows;

pub(crate) use groups::direct_key;
pub use membership_cache::MembershipCache;
pub use rows::*;
pub(crate) use send::Draft;
pub use send::*;
pub use store::*;
pub use sync::render_event;

use crate::accounts::{AccountRow, Accounts};
use crate::cache::BoundedMap;
use crate::error::Result;
use crate::ground::Ground;
use std::sync::{Arc, OnceLock};
use wasla_types::content::{Content, MessageContext};

/// Rules a domain above chats applies to content on the send path (commerce checks carts,
/// product questions and `order_details`). Registered once, when the context is built.
#[async_trait::async_trait]
pub trait ContentRules: Send + Sync {
    /// Check (and complete) `content` that `sender` is about to send to the active `members`
    /// of a chat.
    async fn check(
        &self,
        sender: &AccountRow,
        members: &[&MemberRow],
        content: &mut Content,
        context: Option<&MessageContext>,
    ) -> Result<()>;
}

/// What a domain above chats does with the `referral` token of a person's send (status binds
/// click-to-chat ads to chats). Registered once, when the context is built.
#[async_trait::async_trait]
pub trait ReferralRules: Send + Sync {
    /// The referral that `token` stands for, when `sender` may use it in this chat; `None`
    /// when `sender` already used it in this chat (a resend: the message goes without it);
    /// else a bad request.
    async fn resolve(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        token: &str,
    ) -> Result<Option<wasla_types::ads::Referral>>;
    /// The message carrying the referral was committed.
    async fn committed(&self, sender: &AccountRow, chat_id: i64, message: &MessageRow, token: &str);
}

/// The chats domain: what it stores, the shared ground, the accounts it uses, and what it
/// keeps in memory.
pub struct Chats {
    ground: Ground,
    store: Arc<dyn ChatsStorage>,
    accounts: Arc<Accounts>,
    /// Memberships of recently used chats.
    pub memberships: MembershipCache,
    direct_chats: BoundedMap<(i64, i64), i64>,
    windows: BoundedMap<(i64, i64), windows::Window>,
    content_rules: OnceLock<Arc<dyn ContentRules>>,
    referral_rules: OnceLock<Arc<dyn ReferralRules>>,
}

impl Chats {
    /// The chats service over its store.
    pub fn new(ground: Ground, store: Arc<dyn ChatsStorage>, accounts: Arc<Accounts>) -> Chats {
        Chats {
            ground,
            store,
            accounts,
            memberships: MembershipCache::default(),
            direct_chats: BoundedMap::default(),
            windows: BoundedMap::default(),
            content_rules: OnceLock::new(),
            referral_rules: OnceLock::new(),
        }
    }

    /// Register the content rules of the domains above (once).
    pub fn set_content_rules(&self, rules: Arc<dyn ContentRules>) {
        let _ = self.content_rules.set(rules);
    }

    /// Register what binds a send's `referral` token (once).
    pub fn set_referral_rules(&self, rules: Arc<dyn ReferralRules>) {
        let _ = self.referral_rules.set(rules);
    }
}
