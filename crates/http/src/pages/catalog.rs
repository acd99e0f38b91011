//! Shareable catalog pages: `/c/{digits}` lists a business's visible catalog and
//! `/c/{digits}/p/{retailer-id}` shows one product, both as plain HTML with Open Graph tags, an
//! "order in chat" button that opens the web client, and a QR code (`…/qr.svg`) for each.
//! Products that cannot be ordered (out of stock, discontinued) are marked, and their page offers
//! to ask about them in the chat instead of ordering. Their stylesheet is `web/pages/catalog.css`
//! (nothing inline, for the Content Security Policy).

use super::esc;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::commerce::{is_orderable, Shop};
use wasla_core::tools::qr_svg;
use wasla_core::Wasla;
use wasla_types::commerce::Product;

/// Routes of the catalog pages.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/c/{digits}", get(catalog_page))
        .route("/c/{digits}/qr.svg", get(catalog_qr))
        .route("/c/{digits}/p/{retailer_id}", get(product_page))
        .route("/c/{digits}/p/{retailer_id}/qr.svg", get(product_qr))
}

fn base(app: &Wasla) -> String {
    app.config.public_url().trim_end_matches('/').to_string()
}

async fn shop_for(app: &Wasla, digits: &str) -> Option<Shop> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    app.commerce.shop(digits).await.ok()
}

fn not_found() -> Response {
    let body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"stylesheet\" href=\"/pages/catalog.css\"></head>\
         <body><main><h1>This catalog is not available</h1><p class=\"muted\">The link may be wrong, or the business has hidden its catalog.</p></main></body></html>";
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

fn page(
    title: &str,
    description: &str,
    url: &str,
    image: Option<&str>,
    kind: &str,
    body: &str,
) -> Response {
    let image = image
        .map(|i| format!("<meta property=\"og:image\" content=\"{}\">", esc(i)))
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{t}</title>\
         <meta name=\"description\" content=\"{d}\"><meta property=\"og:type\" content=\"{kind}\">\
         <meta property=\"og:title\" content=\"{t}\"><meta property=\"og:description\" content=\"{d}\">\
         <meta property=\"og:url\" content=\"{u}\">{image}<meta name=\"twitter:card\" content=\"summary\">\
         <link rel=\"canonical\" href=\"{u}\"><link rel=\"stylesheet\" href=\"/pages/catalog.css\"></head><body><main>{body}</main></body></html>",
        t = esc(title),
        d = esc(description),
        u = esc(url),
    ))
    .into_response()
}

/// The mark of a product that cannot be ordered, or nothing.
fn stock_html(p: &Product) -> String {
    if is_orderable(&p.availability, p.inventory) {
        return String::new();
    }
    let word = if p.availability == "discontinued" {
        "Discontinued"
    } else {
        "Out of stock"
    };
    format!("<span class=\"stock\" data-testid=\"out-of-stock\">{word}</span>")
}

/// Why "order in chat" may ask the visitor to sign in.
fn sign_in_note(shop: &str) -> String {
    format!(
        "<p class=\"note\" data-testid=\"sign-in-note\">Orders are placed in a chat with {}, so Wasla asks for your phone number if you are not signed in yet; you come back to the shop right after.</p>",
        esc(shop)
    )
}

fn price_html(p: &Product) -> String {
    let mut s = format!("<span class=\"price\">{}</span>", esc(&p.price_text));
    if p.sale_price.is_some() {
        let was = wasla_core::commerce::format_money(p.price, &p.currency);
        s.push_str(&format!("<span class=\"was\">{}</span>", esc(&was)));
    }
    s
}

/// Where "order in chat" goes: the web client, which opens the chat and the shop.
fn order_link(app: &Wasla, digits: &str, retailer_id: Option<&str>) -> String {
    match retailer_id {
        Some(r) => format!("{}/#/shop/{digits}/{}", base(app), url_part(r)),
        None => format!("{}/#/shop/{digits}", base(app)),
    }
}

fn url_part(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

async fn catalog_page(State(app): State<Arc<Wasla>>, Path(digits): Path<String>) -> Response {
    let Some(shop) = shop_for(&app, &digits).await else {
        return not_found();
    };
    let url = format!("{}/c/{digits}", base(&app));
    let mut cards = String::new();
    for p in &shop.products {
        let img = p
            .image_url
            .as_deref()
            .map(|i| format!("<img src=\"{}\" alt=\"\" loading=\"lazy\">", esc(i)))
            .unwrap_or_default();
        let out = !is_orderable(&p.availability, p.inventory);
        cards.push_str(&format!(
            "<a class=\"card{}\" href=\"/c/{digits}/p/{}\" data-testid=\"public-product\" data-orderable=\"{}\">{img}<h3>{}</h3>{}{}</a>",
            if out { " out" } else { "" },
            url_part(&p.retailer_id),
            !out,
            esc(&p.name),
            price_html(p),
            stock_html(p)
        ));
    }
    let description = format!(
        "{} products from {} on Wasla",
        shop.products.len(),
        shop.name
    );
    let body = format!(
        "<header><div><h1 data-testid=\"public-catalog-title\">{name}</h1><p class=\"muted\">{desc}</p>\
         <a class=\"btn\" data-testid=\"order-in-chat\" href=\"{order}\">Order in chat</a>{note}</div>\
         <img class=\"qr\" src=\"/c/{digits}/qr.svg\" alt=\"QR code for this catalog\" data-testid=\"catalog-qr\"></header>\
         <section class=\"grid\">{cards}</section>",
        name = esc(&shop.name),
        desc = esc(&description),
        order = esc(&order_link(&app, &digits, None)),
        note = sign_in_note(&shop.name),
    );
    let image = shop.products.iter().find_map(|p| p.image_url.as_deref());
    page(
        &format!("{} catalog", shop.name),
        &description,
        &url,
        image,
        "website",
        &body,
    )
}

async fn product_page(
    State(app): State<Arc<Wasla>>,
    Path((digits, retailer_id)): Path<(String, String)>,
) -> Response {
    let Some(shop) = shop_for(&app, &digits).await else {
        return not_found();
    };
    let Some(p) = shop.products.iter().find(|p| p.retailer_id == retailer_id) else {
        return not_found();
    };
    let url = format!("{}/c/{digits}/p/{}", base(&app), url_part(&p.retailer_id));
    let hero = p
        .image_url
        .as_deref()
        .map(|i| {
            format!(
                "<img class=\"hero\" src=\"{}\" alt=\"{}\">",
                esc(i),
                esc(&p.name)
            )
        })
        .unwrap_or_default();
    // What cannot be ordered can still be asked about, in the chat.
    let action = if is_orderable(&p.availability, p.inventory) {
        format!(
            "<p class=\"muted\">{avail}</p><p>{desc}</p><a class=\"btn\" data-testid=\"order-in-chat\" href=\"{order}\">Order in chat</a>{note}",
            avail = esc(&p.availability),
            note = sign_in_note(&shop.name),
            desc = esc(&p.description),
            order = esc(&order_link(&app, &digits, Some(&p.retailer_id))),
        )
    } else {
        format!(
            "<p>{stock}</p><p>{desc}</p><a class=\"btn secondary\" data-testid=\"ask-in-chat\" href=\"{order}\">Ask about it in chat</a>",
            stock = stock_html(p),
            desc = esc(&p.description),
            order = esc(&order_link(&app, &digits, Some(&p.retailer_id))),
        )
    };
    let body = format!(
        "<p><a href=\"/c/{digits}\">← {shop}</a></p><div class=\"product\"><div>{hero}</div><div>\
         <h1 data-testid=\"public-product-name\">{name}</h1><p>{price}</p>{action}\
         <p><img class=\"qr\" src=\"/c/{digits}/p/{rid}/qr.svg\" alt=\"QR code for this product\"></p></div></div>",
        shop = esc(&shop.name),
        name = esc(&p.name),
        price = price_html(p),
        rid = url_part(&p.retailer_id),
    );
    let description = format!("{} · {} · {}", p.price_text, shop.name, p.description);
    page(
        &p.name,
        description.trim_end_matches(" · "),
        &url,
        p.image_url.as_deref(),
        "product",
        &body,
    )
}

fn svg(text: &str) -> Response {
    match qr_svg(text) {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            svg,
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

async fn catalog_qr(State(app): State<Arc<Wasla>>, Path(digits): Path<String>) -> Response {
    if shop_for(&app, &digits).await.is_none() {
        return not_found();
    }
    svg(&format!("{}/c/{digits}", base(&app)))
}

async fn product_qr(
    State(app): State<Arc<Wasla>>,
    Path((digits, retailer_id)): Path<(String, String)>,
) -> Response {
    let Some(shop) = shop_for(&app, &digits).await else {
        return not_found();
    };
    if !shop.products.iter().any(|p| p.retailer_id == retailer_id) {
        return not_found();
    }
    svg(&format!(
        "{}/c/{digits}/p/{}",
        base(&app),
        url_part(&retailer_id)
    ))
}
