//! Status: people's and businesses' Status updates with their audiences, viewers and 24-hour
//! expiry; ads between updates and click-to-chat ads with their campaigns and referrals; and
//! sticker packs. Uses accounts, chats, business and billing. Sticker packs are here so far:
//! a business publishes packs (`stickers.rs`), people add them by link and send their
//! stickers, and Wasla ships its own pack (`shipped.rs`).

mod rows;
mod shipped;
mod stickers;
mod store;

pub use rows::*;
pub use shipped::{shipped_sticker, SHIPPED_PACK};
pub use stickers::{StickerFile, MAX_PACK_STICKERS};
pub use store::*;

use crate::accounts::Accounts;
use crate::business::Business;
use crate::chats::Chats;
use crate::ground::Ground;
use std::sync::Arc;

/// The status domain: what it stores, the shared ground and the domains it uses.
pub struct Status {
    ground: Ground,
    store: Arc<dyn StatusStore>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
    business: Arc<Business>,
}

impl Status {
    /// The status service over its store.
    pub fn new(
        ground: Ground,
        store: Arc<dyn StatusStore>,
        accounts: Arc<Accounts>,
        chats: Arc<Chats>,
        business: Arc<Business>,
    ) -> Status {
        Status {
            ground,
            store,
            accounts,
            chats,
            business,
        }
    }
}
