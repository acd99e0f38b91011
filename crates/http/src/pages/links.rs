//! Short links and click-to-chat: `/message/{code}` (a QR code's deep link: counts a scan and
//! shows a landing page), `/message/{code}/open` (counts an open and goes on into the web
//! client's chat with the prefilled text), `/qr/{code}.png|svg` (the QR images), and
//! `/{digits}?text=…` for a business number's wa_id. Counters are per code only: nothing about
//! the person is recorded. The landing page's stylesheet is `web/pages/landing.css` (nothing
//! inline, for the Content Security Policy).

use super::esc;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::Arc;
use wasla_core::accounts::{AccountKind, AccountRow};
use wasla_core::tools::{qr_png, qr_svg};
use wasla_core::Wasla;

/// `?text=` of a click-to-chat link.
#[derive(Debug, Deserialize)]
pub struct TextQuery {
    text: Option<String>,
}

/// The landing page of a short link.
pub async fn short_link(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    match app.tools.follow_qr(&code).await {
        Ok((row, number)) => landing(
            &number,
            &row.prefilled_message,
            &format!("/message/{code}/open"),
        ),
        Err(_) => not_found(),
    }
}

/// Count an open and go into the chat.
pub async fn open_short_link(State(app): State<Arc<Wasla>>, Path(code): Path<String>) -> Response {
    let Ok(Some(row)) = app.tools.qr_by_code(&code).await else {
        return not_found();
    };
    let Ok(Some(number)) = app.accounts.account(row.business_id).await else {
        return not_found();
    };
    if app.tools.count_qr_open(&code).await.is_err() {
        return not_found();
    }
    Redirect::to(&client_link(&number.wa_id, &row.prefilled_message)).into_response()
}

/// A QR image: `{code}.png` or `{code}.svg`.
pub async fn image(State(app): State<Arc<Wasla>>, Path(file): Path<String>) -> Response {
    let Some((code, ext)) = file.rsplit_once('.') else {
        return not_found();
    };
    if !matches!(app.tools.qr_by_code(code).await, Ok(Some(_))) {
        return not_found();
    }
    let link = format!("{}/message/{code}", app.config.public_url());
    let (mime, body) = match ext {
        "png" => match qr_png(&link) {
            Ok(b) => ("image/png", b),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        "svg" => match qr_svg(&link) {
            Ok(s) => ("image/svg+xml", s.into_bytes()),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => return not_found(),
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// `/{digits}?text=…` when the digits are a business number's wa_id; `None` otherwise, so
/// the caller serves what it would have served.
pub async fn click_to_chat(app: &Wasla, digits: &str, query: Option<&str>) -> Option<Response> {
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = app.accounts.account_by_wa_id(digits).await.ok()??;
    if number.kind != AccountKind::Business {
        return None;
    }
    let text = query
        .and_then(|q| Query::<TextQuery>::try_from_uri(&format!("/?{q}").parse().ok()?).ok())
        .and_then(|q| q.0.text)
        .unwrap_or_default();
    let text: String = text.chars().take(1024).collect();
    Some(landing(&number, &text, &client_link(&number.wa_id, &text)))
}

/// The web client's route that opens the chat with a number and prefills the composer.
fn client_link(wa_id: &str, text: &str) -> String {
    format!("/#/send/{wa_id}?text={}", url_encode(text))
}

fn landing(number: &AccountRow, text: &str, open_href: &str) -> Response {
    let name = number
        .verified_name
        .clone()
        .unwrap_or_else(|| number.display_name.clone());
    let prefilled = if text.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"label\">Your message</p><blockquote data-testid=\"landing-text\">{}</blockquote>",
            esc(text)
        )
    };
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat with {name}</title>
<link rel="stylesheet" href="/pages/landing.css"></head><body><main data-testid="landing">
<h1 data-testid="landing-name">{name}</h1><p class="num">+{wa_id}</p>{prefilled}
<a class="btn" data-testid="landing-open" href="{href}">Continue to chat</a>
<p class="hint">Not signed in yet? You can sign in with your phone number on the next page; the chat opens right after.</p>
</main></body></html>"#,
        name = esc(&name),
        wa_id = esc(&number.wa_id),
        href = esc(open_href),
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

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><title>Link not found</title><p>This link does not exist (any more).</p>",
    )
        .into_response()
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
