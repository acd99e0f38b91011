//! Uploaded media (client API and Cloud API `/media`): `sniff_media` decides the MIME type from
//! the bytes, with the part's Content-Type as a hint. It must not panic, must never answer an
//! active or unsupported type, and its answer must be stable when given back as the hint.
//!
//! Input: an optional first line (at most 128 bytes) is the declared Content-Type; the rest are
//! the file's bytes. Without a newline in the first 129 bytes everything is file bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_core::accounts::{sniff_media, MediaKind};

const IMAGE: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/gif"];
const VIDEO: &[&str] = &["video/mp4", "video/3gpp", "video/webm", "video/quicktime"];
const AUDIO: &[&str] = &[
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
const ACTIVE: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
];

fuzz_target!(|data: &[u8]| {
    let (declared, bytes) = match data.iter().take(129).position(|&b| b == b'\n') {
        Some(i) => (
            Some(String::from_utf8_lossy(&data[..i]).into_owned()),
            &data[i + 1..],
        ),
        None => (None, data),
    };
    let Ok(mime) = sniff_media(bytes, declared.as_deref()) else {
        return;
    };
    assert!(
        !ACTIVE.contains(&mime.as_str()) && !mime.contains("javascript"),
        "active type {mime:?} let through"
    );
    let supported = match MediaKind::of(&mime) {
        MediaKind::Image => IMAGE.contains(&mime.as_str()),
        MediaKind::Video => VIDEO.contains(&mime.as_str()),
        MediaKind::Audio => AUDIO.contains(&mime.as_str()),
        MediaKind::Document => true,
    };
    assert!(supported, "unsupported type {mime:?} let through");
    let again = sniff_media(bytes, Some(&mime));
    assert_eq!(
        again.as_deref().ok(),
        Some(mime.as_str()),
        "declared {declared:?} gave {mime:?}, but declaring that gives {again:?}"
    );
});
