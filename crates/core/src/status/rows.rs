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

/// Who an update was shared with, as posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudienceRow {
    /// All the author's contacts.
    Contacts,
    /// The author's contacts but these accounts.
    Except(Vec<i64>),
    /// Only these of the author's contacts.
    Only(Vec<i64>),
    /// A business's update: everyone with a chat with one of its WABA's numbers.
    Business,
}

impl AudienceRow {
    /// Stored mode word.
    pub fn mode(&self) -> &'static str {
        match self {
            AudienceRow::Contacts => "contacts",
            AudienceRow::Except(_) => "contacts_except",
            AudienceRow::Only(_) => "only_share_with",
            AudienceRow::Business => "business",
        }
    }

    /// The listed account ids.
    pub fn ids(&self) -> &[i64] {
        match self {
            AudienceRow::Except(ids) | AudienceRow::Only(ids) => ids,
            _ => &[],
        }
    }

    /// From the stored mode word and ids.
    pub fn from_parts(mode: &str, ids: Vec<i64>) -> Self {
        match mode {
            "contacts_except" => AudienceRow::Except(ids),
            "only_share_with" => AudienceRow::Only(ids),
            "business" => AudienceRow::Business,
            _ => AudienceRow::Contacts,
        }
    }

    /// Whether a contact of the author with this id is in it (a business audience is judged
    /// by chats, not here).
    pub fn admits_contact(&self, id: i64) -> bool {
        match self {
            AudienceRow::Contacts | AudienceRow::Business => true,
            AudienceRow::Except(ids) => !ids.contains(&id),
            AudienceRow::Only(ids) => ids.contains(&id),
        }
    }
}

/// One Status update. A media update's bytes are the blob under its id.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    /// Update id (and its blob's id).
    pub id: i64,
    /// The person, or the business number shown as the author.
    pub author_id: i64,
    /// A business's update: its WABA.
    pub waba_id: Option<i64>,
    /// `text`, `image` or `video`.
    pub kind: String,
    /// The text, or the caption (may be empty).
    pub body: String,
    /// A text update's `#RRGGBB`.
    pub background: Option<String>,
    /// A text update's font word.
    pub font: Option<String>,
    /// A media update's sniffed type.
    pub mime_type: Option<String>,
    /// A media update's size in bytes (0 for text).
    pub file_size: i64,
    /// Who may see it.
    pub audience: AudienceRow,
    /// Unix ms.
    pub posted_at: i64,
    /// Unix ms, 24 hours later.
    pub expires_at: i64,
}

/// Someone's view of an update, with their reaction.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusViewRow {
    /// The update.
    pub status_id: i64,
    /// The viewer.
    pub viewer_id: i64,
    /// First view, Unix ms.
    pub viewed_at: i64,
    /// Their emoji.
    pub reaction: Option<String>,
}
