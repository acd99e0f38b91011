//! Status: people's and businesses' Status updates with their audiences, viewers and 24-hour
//! expiry; ads between updates and click-to-chat ads with their campaigns and referrals; and
//! sticker packs. Uses accounts, chats, business and billing. Sticker packs: a business
//! publishes packs (`stickers.rs`), people add them by link and send their stickers, and Wasla
//! ships its own pack (`shipped.rs`). Status updates: who sees one (`audience.rs`), posting and
//! deleting (`updates.rs`), a business's updates (`business_posts.rs`), the feed and its
//! sponsored places (`feed.rs`, placed by `ads/placement.rs`), views, replies and reactions (`replies.rs`),
//! the live frames (`live.rs`) and the expiry worker (`expiry.rs`).

pub mod ads;
mod audience;
mod business_posts;
mod expiry;
mod feed;
mod live;
mod replies;
mod rows;
mod shipped;
mod stickers;
mod store;
mod updates;

pub use business_posts::BusinessPost;
pub use rows::*;
pub use shipped::{shipped_sticker, SHIPPED_PACK};
pub use stickers::{StickerFile, MAX_PACK_STICKERS};
pub use store::*;
pub use updates::{StatusFile, STATUS_LIFETIME_MS};

use crate::accounts::Accounts;
use crate::billing::Billing;
use crate::business::Business;
use crate::chats::Chats;
use crate::ground::Ground;
use std::sync::Arc;

/// The status domain: what it stores, the shared ground and the domains it uses.
pub struct Status {
    ground: Ground,
    store: Arc<dyn StatusStorage>,
    accounts: Arc<Accounts>,
    chats: Arc<Chats>,
    business: Arc<Business>,
    billing: Arc<Billing>,
}

impl Status {
    /// The status service over its store.
    pub fn new(
        ground: Ground,
        store: Arc<dyn StatusStorage>,
        accounts: Arc<Accounts>,
        chats: Arc<Chats>,
        business: Arc<Business>,
        billing: Arc<Billing>,
    ) -> Status {
        Status {
            ground,
            store,
            accounts,
            chats,
            business,
            billing,
        }
    }
}
