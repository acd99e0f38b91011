//! Business: the operator's side of a business. WABAs (business accounts), their phone numbers
//! (business accounts people can message), apps (webhook URL, verify token and app secret),
//! business access tokens, the business profile a number shows, and which apps are subscribed
//! to a WABA's webhooks, and the audit log of what operators, agents and business tokens did.
//! Uses accounts.

mod audit;
mod operator;
mod profile;
mod reads;
mod rows;
mod store;
mod subscriptions;
mod tokens;

pub use audit::{Actor, AuditAction, AuditQuery, AuditRow, AuditStore};
pub use profile::NumberStanding;
pub use rows::*;
pub use store::*;

use crate::accounts::{AccountRow, Accounts};
use crate::cache::BoundedMap;
use crate::ground::Ground;
use std::sync::Arc;
use std::time::Instant;

/// The business domain: what it stores, the shared ground, the accounts it uses, and the
/// tokens and numbers it trusts for a moment.
pub struct Business {
    ground: Ground,
    store: Arc<dyn BusinessStore>,
    accounts: Arc<Accounts>,
    tokens: BoundedMap<String, (Instant, i64)>,
    numbers: BoundedMap<i64, (Instant, AccountRow)>,
    audit: audit::AuditQueue,
    standing: std::sync::OnceLock<Arc<dyn NumberStanding>>,
}

impl Business {
    /// The business service over its store.
    pub fn new(ground: Ground, store: Arc<dyn BusinessStore>, accounts: Arc<Accounts>) -> Self {
        Business {
            ground,
            store,
            accounts,
            tokens: BoundedMap::default(),
            numbers: BoundedMap::default(),
            audit: audit::AuditQueue::default(),
            standing: std::sync::OnceLock::new(),
        }
    }
}
