//! Shareable sticker pack pages: `/stickers/{pack_id}` shows a pack (its name, publisher and
//! stickers) with an "Add to Wasla" button that opens the web client, which asks the person to
//! add it; `/stickers/{pack_id}/{sticker_id}.webp` serves a sticker's bytes. Packs are public by
//! design: a business publishes them to be shared. Stylesheet: `web/pages/stickers.css`.

use super::esc;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the sticker pack pages.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/stickers/{pack_id}", get(pack_page))
        .route("/stickers/{pack_id}/{file}", get(sticker_file))
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{t}</title>\
         <meta property=\"og:title\" content=\"{t}\"><link rel=\"stylesheet\" href=\"/pages/stickers.css\">\
         </head><body><main>{body}</main></body></html>",
        t = esc(title)
    )
}

async fn pack_page(State(app): State<Arc<Wasla>>, Path(pack_id): Path<String>) -> Response {
    let Ok(pack) = app.status.pack(&pack_id, None).await else {
        let body = "<h1>This sticker pack is not available</h1>\
                    <p class=\"muted\">The link may be wrong, or the business has removed the pack.</p>";
        return (StatusCode::NOT_FOUND, Html(shell("Not found", body))).into_response();
    };
    let mut grid = String::new();
    for s in &pack.stickers {
        grid.push_str(&format!(
            "<img src=\"{}\" alt=\"\" width=\"128\" height=\"128\" data-testid=\"pack-page-sticker\">",
            esc(&s.url)
        ));
    }
    let add = format!("/#/stickers/{}", esc(&pack.id));
    let body = format!(
        "<header><h1 data-testid=\"pack-page-name\">{name}</h1><p class=\"muted\">Stickers by {publisher} · {n}</p></header>\
         <div class=\"grid\">{grid}</div>\
         <a class=\"btn\" data-testid=\"add-to-wasla\" href=\"{add}\">Add to Wasla</a>",
        name = esc(&pack.name),
        publisher = esc(&pack.publisher),
        n = pack.stickers.len(),
    );
    Html(shell(&format!("{} stickers", pack.name), &body)).into_response()
}

async fn sticker_file(
    State(app): State<Arc<Wasla>>,
    Path((pack_id, file)): Path<(String, String)>,
) -> Response {
    let Some(sticker) = file.strip_suffix(".webp") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app.status.sticker_bytes(&pack_id, sticker).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/webp"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
