//! A reference to uploaded media, as media messages (`image`, `video`, `audio`, `document`,
//! `sticker`) and the media headers of interactive and template messages carry it.

use serde::{Deserialize, Serialize};

/// A reference to uploaded media, with the facts the server fills in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Media {
    /// The media id (numeric string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A link to fetch instead of an id (Cloud API sends only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Caption shown under the media (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The document's file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The sniffed MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Hex SHA-256 of the bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// Whether a sticker is animated, as the server read it from the file (never as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animated: Option<bool>,
}
