//! Tools: what a business's staff work with. Console agents (invites, roles, sessions), the
//! shared inbox of customer chats (assignment, state, notes, unread counts), labels and quick
//! replies, automations run from stored events (greeting, away message, FAQ rules, the
//! conversational automation), business hours with holidays in the business's time zone, and
//! QR codes with short and click-to-chat links. Uses accounts, chats, business, integration and
//! commerce.

mod agents;
mod automation;
mod compose;
mod console_live;
pub mod hours;
mod inbox;
mod inbox_live;
mod labels;
mod qrdls;
mod rows;
mod store;

pub use console_live::ConsoleStream;
pub use inbox::{CustomerChat, InboxFilter};
pub use inbox_live::REOPEN_RULES;
pub use labels::LabelTarget;
pub use qrdls::{qr_png, qr_svg};
pub use rows::*;
pub use store::*;

use crate::accounts::Accounts;
use crate::business::Business;
use crate::chats::Chats;
use crate::ground::Ground;
use crate::integration::Integration;
use std::sync::Arc;

/// The tools domain: what it stores, the shared ground and the domains it uses.
pub struct Tools {
    ground: Ground,
    store: Arc<dyn ToolsStorage>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
    business: Arc<Business>,
    integration: Arc<Integration>,
}

/// The domains the tools service uses.
pub struct ToolsUses {
    /// People and numbers.
    pub accounts: Arc<Accounts>,
    /// The send path and chats.
    pub chats: Arc<Chats>,
    /// WABAs and numbers.
    pub business: Arc<Business>,
    /// Cloud API rules and webhooks.
    pub integration: Arc<Integration>,
}

impl Tools {
    /// The tools service over its store.
    pub fn new(ground: Ground, store: Arc<dyn ToolsStorage>, uses: ToolsUses) -> Tools {
        Tools {
            ground,
            store,
            accounts: uses.accounts,
            chats: uses.chats,
            business: uses.business,
            integration: uses.integration,
        }
    }
}
