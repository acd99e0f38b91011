//! Accounts: the people who use Wasla and the business phone numbers they write to, as one
//! kind of account known by its `wa_id`. This domain owns registration by verification code,
//! sessions, profiles (name, about, photo), presence (online and last seen), privacy settings
//! (who sees a person's last seen, photo and about), an account's place in its event stream,
//! and uploads: media an account owns, sniffed, size-limited and kept as blobs, readable by
//! their owner and by the members of chats they were sent in. It uses no other domain.

mod contacts;
mod identities;
mod media;
mod presence;
mod privacy;
mod reads;
mod registration;
mod rows;
mod sticker;
mod store;
mod verification;
mod views;

pub use identities::Identity;
pub use media::{sniff_media, MediaKind};
pub use presence::Presence;
pub use privacy::Shown;
pub(crate) use registration::clean_text;
pub use rows::*;
pub use sticker::{
    sniff_sticker, StickerFacts, MAX_ANIMATED_STICKER, MAX_STATIC_STICKER, STICKER_SIDE,
};
pub use store::*;
pub use verification::*;

use crate::cache::BoundedMap;
use crate::ground::Ground;
use std::sync::Arc;

/// The accounts domain: what it stores, the shared ground, and what it keeps in memory.
pub struct Accounts {
    ground: Ground,
    store: Arc<dyn AccountsStorage>,
    codes: Arc<dyn CodeSender>,
    /// Who is online on this node.
    pub presence: Presence,
    identities: BoundedMap<i64, Identity>,
    wa_ids: BoundedMap<String, i64>,
}

impl Accounts {
    /// The accounts service over its store, sending verification codes with `codes`.
    pub fn new(
        ground: Ground,
        store: Arc<dyn AccountsStorage>,
        codes: Arc<dyn CodeSender>,
    ) -> Accounts {
        Accounts {
            ground,
            store,
            codes,
            presence: Presence::default(),
            identities: BoundedMap::default(),
            wa_ids: BoundedMap::default(),
        }
    }
}
