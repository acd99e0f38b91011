//! The status domain's tables: sticker packs (`sticker_packs`, `stickers`), the packs people
//! added (`sticker_pack_adds`) and people's media copies of stickers they sent
//! (`sticker_copies`); Status updates, views, mutes and audiences (`updates.rs`). Implements
//! `wasla_core::status`' [`StatusStore`] and `StatusUpdateStore`.

mod ads;
mod stickers;
mod updates;

use crate::SqlStore;
use async_trait::async_trait;
use wasla_core::status::{StatusStore, StickerPackRow, StickerRow};
use wasla_core::Result;

#[async_trait]
impl StatusStore for SqlStore {
    async fn insert_sticker_pack(
        &self,
        pack: &StickerPackRow,
        stickers: &[StickerRow],
    ) -> Result<()> {
        stickers::insert_pack(self, pack, stickers).await
    }

    async fn sticker_pack(&self, id: i64) -> Result<Option<StickerPackRow>> {
        stickers::pack(self, id).await
    }

    async fn sticker_packs_of(&self, waba_id: i64) -> Result<Vec<StickerPackRow>> {
        stickers::packs_of(self, waba_id).await
    }

    async fn delete_sticker_pack(&self, waba_id: i64, id: i64) -> Result<bool> {
        stickers::delete_pack(self, waba_id, id).await
    }

    async fn stickers(&self, pack_id: i64) -> Result<Vec<StickerRow>> {
        stickers::stickers(self, pack_id).await
    }

    async fn sticker(&self, id: i64) -> Result<Option<StickerRow>> {
        stickers::sticker(self, id).await
    }

    async fn add_sticker_pack(&self, person_id: i64, pack_id: i64, at: i64) -> Result<()> {
        stickers::add(self, person_id, pack_id, at).await
    }

    async fn remove_sticker_pack(&self, person_id: i64, pack_id: i64) -> Result<bool> {
        stickers::remove(self, person_id, pack_id).await
    }

    async fn added_sticker_packs(&self, person_id: i64) -> Result<Vec<StickerPackRow>> {
        stickers::added(self, person_id).await
    }

    async fn sticker_copy(&self, person_id: i64, key: &str) -> Result<Option<i64>> {
        stickers::copy(self, person_id, key).await
    }

    async fn put_sticker_copy(&self, person_id: i64, key: &str, media_id: i64) -> Result<()> {
        stickers::put_copy(self, person_id, key, media_id).await
    }
}
