//! Stickers: WebP only, exactly 512×512, at most 100 KB when static and 500 KB when animated.
//! Whether a sticker is animated is read from the file (the VP8X animation flag and its
//! ANIM/ANMF frames), never taken from what a client says; the picture itself must decode.

use super::{Accounts, MediaRow};
use crate::error::{Error, Result};
use image_webp::WebPDecoder;
use std::io::Cursor;
use wasla_types::client::MediaInfo;

/// The side of a sticker, in pixels.
pub const STICKER_SIDE: u32 = 512;
/// Largest static sticker.
pub const MAX_STATIC_STICKER: usize = 100 * 1024;
/// Largest animated sticker.
pub const MAX_ANIMATED_STICKER: usize = 500 * 1024;

/// What the file says about a sticker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StickerFacts {
    /// Animated (VP8X animation flag with ANMF frames).
    pub animated: bool,
    /// Number of frames (1 when static).
    pub frames: u32,
}

/// Check that `bytes` are an acceptable sticker and tell whether it is animated.
pub fn sniff_sticker(bytes: &[u8]) -> Result<StickerFacts> {
    let refuse = |d: String| Error::UnsupportedMedia(d);
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err(refuse("a sticker must be a WebP file".into()));
    }
    if bytes.len() > MAX_ANIMATED_STICKER {
        return Err(refuse(format!(
            "a sticker may be at most {MAX_ANIMATED_STICKER} bytes when animated and \
             {MAX_STATIC_STICKER} bytes when static; this one is {} bytes",
            bytes.len()
        )));
    }
    let mut decoder = WebPDecoder::new(Cursor::new(bytes))
        .map_err(|_| refuse("the sticker is not a valid WebP file".into()))?;
    let (w, h) = decoder.dimensions();
    if (w, h) != (STICKER_SIDE, STICKER_SIDE) {
        return Err(refuse(format!(
            "a sticker must be {STICKER_SIDE}x{STICKER_SIDE} pixels; this one is {w}x{h}"
        )));
    }
    let frames = decoder.num_frames();
    let animated = decoder.is_animated() || frames > 0;
    if animated && (frames == 0 || !decoder.is_animated()) {
        return Err(refuse("the animated sticker's frames are malformed".into()));
    }
    let max = if animated {
        MAX_ANIMATED_STICKER
    } else {
        MAX_STATIC_STICKER
    };
    if bytes.len() > max {
        let kind = if animated { "an animated" } else { "a static" };
        return Err(refuse(format!(
            "{kind} sticker may be at most {max} bytes; this one is {} bytes",
            bytes.len()
        )));
    }
    // The picture (the first frame of an animation) must decode.
    let mut buf = vec![0u8; decoder.output_buffer_size().unwrap_or(0)];
    let decoded = if animated {
        decoder.read_frame(&mut buf).map(|_| ())
    } else {
        decoder.read_image(&mut buf)
    };
    decoded.map_err(|_| refuse("the sticker's picture does not decode".into()))?;
    Ok(StickerFacts {
        animated,
        frames: frames.max(1),
    })
}

impl Accounts {
    /// The facts of stored media sent as a sticker; `UnsupportedMedia` when it is not one.
    pub async fn sticker_facts(&self, row: &MediaRow) -> Result<StickerFacts> {
        if row.mime_type != "image/webp" {
            return Err(Error::UnsupportedMedia(format!(
                "a sticker must be a WebP file; media {} is {}",
                row.id, row.mime_type
            )));
        }
        if row.file_size as usize > MAX_ANIMATED_STICKER {
            return Err(Error::UnsupportedMedia(format!(
                "a sticker may be at most {MAX_ANIMATED_STICKER} bytes when animated and \
                 {MAX_STATIC_STICKER} bytes when static; media {} is {} bytes",
                row.id, row.file_size
            )));
        }
        let bytes = self.ground.blobs.get(row.id).await?;
        sniff_sticker(&bytes)
    }

    /// Store a sticker upload of `owner` after checking it is one.
    pub async fn upload_sticker(&self, owner: i64, bytes: &[u8]) -> Result<MediaInfo> {
        sniff_sticker(bytes)?;
        self.upload_media(owner, bytes, Some("image/webp"), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_webp() {
        assert!(sniff_sticker(b"").is_err());
        assert!(sniff_sticker(b"\x89PNG\r\n\x1a\n0000000000").is_err());
        assert!(sniff_sticker(b"RIFF\x04\0\0\0WEBPVP8X").is_err());
    }
}
