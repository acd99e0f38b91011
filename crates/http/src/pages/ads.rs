//! Public pages of click-to-chat ads: `/ad/{code}` shows an approved (or paused) campaign's
//! creative, headline and text with its button, which opens the web client at `#/ad/{code}`
//! (there the person, signed in, opens the chat and gets the referral token);
//! `/ad/{code}/qr.png` is the link as a QR code; `/ad/{code}/media` and `/ad/{code}/thumbnail`
//! serve the creative and its still picture. Nothing about the visitor is recorded. The page
//! uses the landing page's stylesheet (`web/pages/landing.css`).

use super::esc;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::tools::qr_png;
use wasla_core::Wasla;

/// Routes of the ad pages.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/ad/{code}", get(page))
        .route("/ad/{code}/qr.png", get(qr))
        .route("/ad/{code}/media", get(media))
        .route("/ad/{code}/thumbnail", get(thumbnail))
}

fn not_found() -> Response {
    let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                <title>Not found</title><link rel=\"stylesheet\" href=\"/pages/landing.css\">\
                </head><body><main><h1>This ad is not available</h1>\
                <p class=\"hint\">The link may be wrong, or the ad has ended.</p></main></body></html>";
    (StatusCode::NOT_FOUND, Html(html)).into_response()
}

async fn page(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    let Ok((c, business)) = app.status.public_campaign(&code).await else {
        return not_found();
    };
    let creative = if c.creative.kind == "video" {
        format!(
            "<video data-testid=\"ad-creative\" src=\"{}\" poster=\"{}\" controls playsinline></video>",
            esc(&c.creative.url),
            esc(&c.creative.thumbnail_url)
        )
    } else {
        format!(
            "<img data-testid=\"ad-creative\" src=\"{}\" alt=\"\">",
            esc(&c.creative.url)
        )
    };
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{headline}</title><meta property="og:title" content="{headline}">
<link rel="stylesheet" href="/pages/landing.css"></head><body><main data-testid="ad-page">
{creative}<p class="label">Sponsored · {business}</p>
<h1 data-testid="ad-headline">{headline}</h1><p data-testid="ad-body">{body}</p>
<a class="btn" data-testid="ad-open" href="/#/ad/{code}">{button}</a>
<p class="hint">Not signed in yet? You can sign in with your phone number on the next page; the chat opens right after.</p>
</main></body></html>"#,
        headline = esc(&c.headline),
        business = esc(&business),
        body = esc(&c.body),
        button = esc(&c.button_text),
        code = esc(&code),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

async fn qr(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    if app.status.campaign_by_code(&code).await.is_err() {
        return not_found();
    }
    let link = format!("{}/ad/{code}", app.config.public_url());
    match qr_png(&link) {
        Ok(png) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            png,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn file(app: &Wasla, code: &str, thumbnail: bool) -> Response {
    match app.status.creative_bytes(code, thumbnail).await {
        Ok((mime, bytes)) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn media(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    file(&app, &code, false).await
}

async fn thumbnail(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    file(&app, &code, true).await
}
