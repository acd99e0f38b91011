//! Wasla's own "open for business" sticker pack, drawn by the project (`scripts/sticker-art`)
//! and compiled into the binary: available to everyone without adding it.

/// The shipped pack's id.
pub const SHIPPED_PACK: &str = "open-for-business";
/// The shipped pack's name.
pub const SHIPPED_NAME: &str = "Open for business";

/// The shipped stickers: name and WebP bytes, in order (the first is the cover).
pub const SHIPPED_STICKERS: &[(&str, &[u8])] = &[
    (
        "open-sign",
        include_bytes!("../../assets/stickers/open-for-business/01-open-sign.webp"),
    ),
    (
        "storefront",
        include_bytes!("../../assets/stickers/open-for-business/02-storefront.webp"),
    ),
    (
        "clock",
        include_bytes!("../../assets/stickers/open-for-business/03-clock.webp"),
    ),
    (
        "bag",
        include_bytes!("../../assets/stickers/open-for-business/04-bag.webp"),
    ),
    (
        "chat",
        include_bytes!("../../assets/stickers/open-for-business/05-chat.webp"),
    ),
    (
        "wave",
        include_bytes!("../../assets/stickers/open-for-business/06-wave.webp"),
    ),
];

/// The bytes of a shipped sticker by name.
pub fn shipped_sticker(name: &str) -> Option<&'static [u8]> {
    SHIPPED_STICKERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_sticker_passes_the_sticker_rules() {
        for (name, bytes) in SHIPPED_STICKERS {
            let facts =
                crate::accounts::sniff_sticker(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(facts.animated, *name == "wave", "{name}");
        }
    }
}
