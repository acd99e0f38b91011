//! Public pages readable without signing in: server-rendered HTML with Open Graph tags for
//! link previews (catalogs and products), short links and click-to-chat landing pages, and QR
//! images. One file per kind of page.

mod catalog;
pub(crate) mod links;

use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the public pages.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new().merge(catalog::routes())
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

/// An SVG QR code of `text`.
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
    )
}
