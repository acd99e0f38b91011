//! Media: uploads are sniffed (the declared type is only a hint), checked against per-kind size
//! limits, stored as blobs, and readable by the uploader and by members of chats they were
//! sent in.

use super::Accounts;
use super::MediaRow;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use sha2::{Digest, Sha256};
use wasla_types::client::MediaInfo;

/// The broad kind of a media file, which decides its limits and how it may be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// jpeg, png, webp, gif.
    Image,
    /// mp4, 3gpp, webm, quicktime.
    Video,
    /// aac, mp3, m4a, ogg, webm, wav, amr.
    Audio,
    /// Anything else.
    Document,
}

impl MediaKind {
    /// Largest accepted file of this kind.
    pub fn max_bytes(self) -> usize {
        match self {
            MediaKind::Image => 5 << 20,
            MediaKind::Video | MediaKind::Audio => 16 << 20,
            MediaKind::Document => 100 << 20,
        }
    }

    /// The kind of a stored MIME type.
    pub fn of(mime: &str) -> Self {
        match mime.split('/').next().unwrap_or_default() {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            _ => MediaKind::Document,
        }
    }
}

const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/gif"];
const VIDEO_TYPES: &[&str] = &["video/mp4", "video/3gpp", "video/webm", "video/quicktime"];
const AUDIO_TYPES: &[&str] = &[
    "audio/aac",
    "audio/mpeg",
    "audio/mp4",
    "audio/m4a",
    "audio/x-m4a",
    "audio/ogg",
    "audio/webm",
    "audio/wav",
    "audio/x-wav",
    "audio/amr",
    "audio/opus",
];

const ACTIVE_TYPES: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
];

/// Decide the MIME type of uploaded bytes from their content. `declared` (the part's
/// Content-Type) is used only where the bytes do not tell (plain text, office formats) or to
/// tell an audio-only WebM/MP4 from a video.
pub fn sniff_media(bytes: &[u8], declared: Option<&str>) -> Result<String> {
    let declared = declared
        .map(|d| {
            d.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|d| !d.is_empty());
    let sniffed = infer::get(bytes).map(|t| t.mime_type().to_string());
    let mime = match (sniffed, declared.as_deref()) {
        // Sound in a video container is kept as the sound it says it is, when that is a sound
        // type Wasla accepts (anything else would turn a video into another kind of file).
        (Some(s), Some(d))
            if AUDIO_TYPES.contains(&d) && (s == "video/webm" || s == "video/mp4") =>
        {
            d.to_string()
        }
        (Some(s), _) if s == "audio/x-wav" => "audio/wav".into(),
        // A file labelled as a picture, video or sound must be one of those.
        (Some(s), Some(d))
            if MediaKind::of(d) != MediaKind::Document && MediaKind::of(&s) != MediaKind::of(d) =>
        {
            return Err(Error::UnsupportedMedia(format!(
                "the file is not a valid {d}"
            )));
        }
        (Some(s), _) => s,
        (None, Some(d))
            if d.starts_with("image/") || d.starts_with("video/") || d.starts_with("audio/") =>
        {
            return Err(Error::UnsupportedMedia(format!(
                "the file is not a valid {d}"
            )));
        }
        (None, Some(d)) => d.to_string(),
        (None, None) if std::str::from_utf8(bytes).is_ok() => "text/plain".into(),
        (None, None) => "application/octet-stream".into(),
    };
    // Active content (pages, scripts, SVG) is kept as inert text so it can never run.
    let mime = if ACTIVE_TYPES.contains(&mime.as_str()) || mime.contains("javascript") {
        "text/plain".to_string()
    } else {
        mime
    };
    let allowed = match MediaKind::of(&mime) {
        MediaKind::Image => IMAGE_TYPES.contains(&mime.as_str()),
        MediaKind::Video => VIDEO_TYPES.contains(&mime.as_str()),
        MediaKind::Audio => AUDIO_TYPES.contains(&mime.as_str()),
        MediaKind::Document => true,
    };
    if !allowed {
        return Err(Error::UnsupportedMedia(format!(
            "{mime} is not a supported media type"
        )));
    }
    Ok(mime)
}

impl Accounts {
    /// Store an upload of `owner`.
    pub async fn upload_media(
        &self,
        owner: i64,
        bytes: &[u8],
        declared: Option<&str>,
        filename: Option<&str>,
    ) -> Result<MediaInfo> {
        if bytes.is_empty() {
            return Err(Error::bad("the file is empty"));
        }
        let mime = sniff_media(bytes, declared)?;
        let max = MediaKind::of(&mime)
            .max_bytes()
            .min(self.ground.config.limits.max_upload_bytes);
        if bytes.len() > max {
            return Err(Error::TooLarge(format!(
                "{mime} files may be at most {} bytes",
                max
            )));
        }
        let filename = filename
            .map(|f| {
                f.rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(f)
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(240)
                    .collect::<String>()
            })
            .filter(|f| !f.is_empty());
        let row = MediaRow {
            id: self.ground.ids.next(),
            owner_id: owner,
            mime_type: mime,
            file_size: bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(bytes)),
            filename,
            created_at: self.ground.now(),
        };
        self.ground.blobs.put(row.id, bytes).await?;
        self.store.insert_media(&row).await?;
        Ok(media_info(&row))
    }

    /// Media metadata the account may see.
    pub async fn visible_media(&self, viewer: i64, id: &str) -> Result<MediaRow> {
        let not_found = || Error::not_found("media not found");
        let id = parse_id(id).ok_or_else(not_found)?;
        let row = self.store.media(id).await?.ok_or_else(not_found)?;
        // A person's profile photo is visible as their privacy settings allow; everything
        // else as the store says (chats it was sent in, group photos, business photos).
        if row.owner_id != viewer
            && !self.store.media_visible_to(id, viewer).await?
            && !self.photo_visible(viewer, id).await?
        {
            return Err(not_found());
        }
        Ok(row)
    }

    /// Media bytes the account may see.
    pub async fn download_media(&self, viewer: i64, id: &str) -> Result<(MediaRow, Vec<u8>)> {
        let row = self.visible_media(viewer, id).await?;
        let bytes = self.ground.blobs.get(row.id).await?;
        Ok((row, bytes))
    }

    /// An image the account may use as a photo; returns its id.
    pub(crate) async fn own_image(&self, viewer: i64, id: &str) -> Result<i64> {
        let row = self.visible_media(viewer, id).await?;
        if MediaKind::of(&row.mime_type) != MediaKind::Image {
            return Err(Error::bad("a photo must be an image"));
        }
        Ok(row.id)
    }
}

/// The wire form of a media row.
pub fn media_info(row: &MediaRow) -> MediaInfo {
    MediaInfo {
        id: row.id.to_string(),
        mime_type: row.mime_type.clone(),
        file_size: row.file_size as u64,
        sha256: row.sha256.clone(),
        filename: row.filename.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R',
    ];

    #[test]
    fn sound_in_a_video_container_keeps_only_accepted_sound_types() {
        // Found by the media_sniff fuzz target: a made-up audio type on MP4 bytes was kept,
        // then turned into a plain-text document by the active-content rule; it is refused now.
        let mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0isommp4";
        assert_eq!(sniff_media(mp4, Some("audio/mp4")).unwrap(), "audio/mp4");
        assert!(sniff_media(mp4, Some("audio/mpjavascript")).is_err());
    }

    #[test]
    fn sniffs_content_not_labels() {
        assert_eq!(
            sniff_media(PNG, Some("application/pdf")).unwrap(),
            "image/png"
        );
        assert!(sniff_media(b"not an image", Some("image/png")).is_err());
        assert_eq!(sniff_media(b"hello", None).unwrap(), "text/plain");
        assert_eq!(
            sniff_media(b"<html>", Some("text/html")).unwrap(),
            "text/plain"
        );
    }
}
