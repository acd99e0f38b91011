//! Sticker packs as the client API, the console API and the public pack page show them, and the
//! body of sending a sticker from a pack.

use serde::{Deserialize, Serialize};

/// One sticker of a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sticker {
    /// Sticker id (a number for a business's pack, a name for Wasla's own).
    pub id: String,
    /// Where its WebP bytes are (public, like the pack).
    pub url: String,
    /// Read from the file.
    pub animated: bool,
}

/// A sticker pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StickerPack {
    /// Pack id (a number for a business's pack, `open-for-business` for Wasla's own).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who published it (the business's name, or Wasla).
    pub publisher: String,
    /// The cover sticker's id.
    pub cover: String,
    /// The stickers, in order.
    pub stickers: Vec<Sticker>,
    /// The shareable link of the pack's page.
    pub link: String,
    /// Shipped with Wasla and available to everyone.
    pub shipped: bool,
    /// Whether the person asking added it (always true for Wasla's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<bool>,
}

/// Packs, for lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StickerPacks {
    /// The packs.
    pub data: Vec<StickerPack>,
}

/// `POST /client/v1/chats/{chat_id}/stickers`: send a sticker from a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendSticker {
    /// The sticker's id.
    pub sticker_id: String,
    /// Idempotency key chosen by the sending device.
    #[serde(default)]
    pub client_id: Option<String>,
}
