//! The status domain's storage: sticker packs, their stickers, the packs people added and the
//! media copies of stickers people sent.

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
