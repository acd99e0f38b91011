//! The status domain's storage: sticker packs, their stickers, the packs people added and the
//! media copies of stickers people sent; Status updates, their views, mutes and audiences.

use super::rows::*;
use crate::error::Result;
use async_trait::async_trait;

/// Sticker packs and who added them.
#[async_trait]
pub trait StatusStore: Send + Sync {
    /// Insert a pack with its stickers.
    async fn insert_sticker_pack(
        &self,
        pack: &StickerPackRow,
        stickers: &[StickerRow],
    ) -> Result<()>;
    /// A pack by id.
    async fn sticker_pack(&self, id: i64) -> Result<Option<StickerPackRow>>;
    /// Packs of a WABA, oldest first.
    async fn sticker_packs_of(&self, waba_id: i64) -> Result<Vec<StickerPackRow>>;
    /// Delete a pack of a WABA with its stickers and the people's additions; false if unknown.
    async fn delete_sticker_pack(&self, waba_id: i64, id: i64) -> Result<bool>;
    /// Stickers of a pack in order.
    async fn stickers(&self, pack_id: i64) -> Result<Vec<StickerRow>>;
    /// A sticker by id.
    async fn sticker(&self, id: i64) -> Result<Option<StickerRow>>;
    /// Record that a person added a pack (again is fine).
    async fn add_sticker_pack(&self, person_id: i64, pack_id: i64, at: i64) -> Result<()>;
    /// Forget that a person added a pack; false if they had not.
    async fn remove_sticker_pack(&self, person_id: i64, pack_id: i64) -> Result<bool>;
    /// Packs a person added, in the order added.
    async fn added_sticker_packs(&self, person_id: i64) -> Result<Vec<StickerPackRow>>;
    /// The media id of a person's copy of a sticker (`key`: a pack sticker id or a shipped
    /// sticker's name).
    async fn sticker_copy(&self, person_id: i64, key: &str) -> Result<Option<i64>>;
    /// Remember a person's copy of a sticker.
    async fn put_sticker_copy(&self, person_id: i64, key: &str, media_id: i64) -> Result<()>;
}

/// Status updates, their views and reactions, mutes and default audiences.
#[async_trait]
pub trait StatusUpdateStore: Send + Sync {
    /// Insert an update.
    async fn insert_status(&self, row: &StatusRow) -> Result<()>;
    /// An update by id (expired or not).
    async fn status(&self, id: i64) -> Result<Option<StatusRow>>;
    /// Updates not expired at `now` by any of `authors` or of any of `wabas`, oldest first.
    async fn live_statuses(
        &self,
        authors: &[i64],
        wabas: &[i64],
        now: i64,
    ) -> Result<Vec<StatusRow>>;
    /// Delete an update with its views; false if it was gone already.
    async fn delete_status(&self, id: i64) -> Result<bool>;
    /// Up to `limit` updates expired at `now`.
    async fn expired_statuses(&self, now: i64, limit: i64) -> Result<Vec<StatusRow>>;
    /// Record a view (the first one counts); true if it is new.
    async fn put_status_view(&self, status_id: i64, viewer: i64, at: i64) -> Result<bool>;
    /// Set or clear a viewer's reaction (viewing it if not yet).
    async fn set_status_reaction(
        &self,
        status_id: i64,
        viewer: i64,
        at: i64,
        reaction: Option<&str>,
    ) -> Result<()>;
    /// A viewer's views of some updates.
    async fn views_by(&self, viewer: i64, status_ids: &[i64]) -> Result<Vec<StatusViewRow>>;
    /// All views of an update, most recent first.
    async fn views_of(&self, status_id: i64) -> Result<Vec<StatusViewRow>>;
    /// Mute (true) or unmute an author for a person.
    async fn set_status_mute(&self, owner: i64, author: i64, muted: bool) -> Result<()>;
    /// Authors a person muted.
    async fn status_mutes(&self, owner: i64) -> Result<Vec<i64>>;
    /// A person's default audience.
    async fn default_audience(&self, owner: i64) -> Result<Option<AudienceRow>>;
    /// Save a person's default audience.
    async fn put_default_audience(&self, owner: i64, audience: &AudienceRow) -> Result<()>;
}

/// Everything the status domain stores.
pub trait StatusStorage: StatusStore + StatusUpdateStore + super::ads::AdStore {}
impl<T: StatusStore + StatusUpdateStore + super::ads::AdStore> StatusStorage for T {}
