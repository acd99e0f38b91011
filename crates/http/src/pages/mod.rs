//! Public pages readable without signing in: server-rendered HTML with Open Graph tags for
//! link previews (catalogs and products), short links and click-to-chat landing pages, and QR
//! images. One file per kind of page.

mod ads;
mod catalog;
mod images;
pub(crate) mod links;
mod stickers;

use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the public pages.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .merge(catalog::routes())
        .merge(images::routes())
        .merge(stickers::routes())
        .merge(ads::routes())
}

/// Escape text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
