//! Chats: direct chats between two accounts and groups of people, their members and roles,
//! the one send path every sender goes through (validate, commit message, receipts, events and
//! outbox rows in one transaction, then publish), receipts coming back from devices, the event
//! stream a device syncs from, and who may read media sent in a chat. Uses accounts.

pub(crate) mod groups;
mod membership_cache;
mod receipts;
mod rows;
pub(crate) mod send;
mod store;
mod sync;
mod views;

pub use membership_cache::MembershipCache;
pub use rows::*;
pub use send::*;
pub use store::*;
pub use sync::render_event;
