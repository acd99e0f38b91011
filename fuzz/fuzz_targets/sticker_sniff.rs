//! Stickers (client sends, Cloud API uploads and sends, console sticker packs):
//! `sniff_sticker` reads a WebP's header and frames to decide whether the bytes are an
//! acceptable sticker and whether it is animated. It must not panic, and what it accepts must
//! be a 512×512 WebP within the size limit of the kind it reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasla_core::accounts::{sniff_sticker, MAX_ANIMATED_STICKER, MAX_STATIC_STICKER};

fuzz_target!(|data: &[u8]| {
    let Ok(facts) = sniff_sticker(data) else {
        return;
    };
    assert!(data.starts_with(b"RIFF") && data[8..12] == *b"WEBP");
    let max = if facts.animated {
        MAX_ANIMATED_STICKER
    } else {
        MAX_STATIC_STICKER
    };
    assert!(
        data.len() <= max,
        "{} bytes accepted as {facts:?}",
        data.len()
    );
    assert!(facts.frames >= 1);
    assert_eq!(
        sniff_sticker(data).ok(),
        Some(facts),
        "the answer is stable"
    );
});
