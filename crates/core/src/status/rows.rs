//! Rows of the status domain: sticker packs a business publishes, their stickers, the packs a
//! person added, and the copies of stickers a person sent (one media row per person and
//! sticker, so sending a sticker twice stores it once).

/// A sticker pack published by a WABA.
#[derive(Debug, Clone, PartialEq)]
pub struct StickerPackRow {
    /// Pack id.
    pub id: i64,
    /// The WABA that published it.
    pub waba_id: i64,
    /// Its name.
    pub name: String,
    /// The sticker shown as its cover.
    pub cover_id: i64,
    /// Unix ms.
    pub created_at: i64,
}

/// One sticker of a pack; its bytes are the blob of its id.
#[derive(Debug, Clone, PartialEq)]
pub struct StickerRow {
    /// Sticker id (also its blob id).
    pub id: i64,
    /// Its pack.
    pub pack_id: i64,
    /// Order within the pack.
    pub position: i64,
    /// Read from the file.
    pub animated: bool,
    /// Size in bytes.
    pub file_size: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
}
