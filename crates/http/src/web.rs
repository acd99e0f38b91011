//! The web client: files from `web/`, embedded into the binary at build time, or read from
//! `--web-dir` while developing; the business console lives under `/console/`. Unknown paths
//! under the APIs get a JSON 404 instead; a business number's digits get its click-to-chat page.
//! Surfaces whose paths overlap the client's (the Cloud API's `/{version}/{id}`, the router's
//! fallback) hand such requests here; this module knows none of them.

use crate::error::ApiError;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::sync::Arc;
use wasla_core::{Error, Wasla};

#[derive(RustEmbed)]
#[folder = "../../web/"]
struct WebAssets;

/// Serve a web client file; paths without a file extension get `index.html` (client routes).
/// Versioned Cloud API paths never reach here: the router's fallback answers them first.
pub async fn serve(State(app): State<Arc<Wasla>>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("client/") || path.starts_with("admin/") || path.starts_with("console/v1/")
    {
        return ApiError(Error::not_found(format!("no such endpoint: /{path}"))).into_response();
    }
    let first = path.split('/').next().unwrap_or_default();
    // Click-to-chat: a business number's digits.
    if let Some(page) = crate::pages::links::click_to_chat(&app, path, uri.query()).await {
        return page;
    }
    let client_route = !path.rsplit('/').next().unwrap_or_default().contains('.');
    let wanted = if first == "console" && client_route {
        "console/index.html"
    } else if path.is_empty() || client_route {
        "index.html"
    } else {
        path
    };
    if wanted
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let bytes = match &app.config.web_dir {
        Some(dir) => tokio::fs::read(dir.join(wanted)).await.ok(),
        None => WebAssets::get(wanted).map(|f| f.data.into_owned()),
    };
    match bytes {
        Some(body) => {
            let mime = mime_guess::from_path(wanted).first_or_octet_stream();
            let cache = if wanted == "index.html" {
                "no-cache"
            } else {
                "public, max-age=300"
            };
            (
                [
                    (header::CONTENT_TYPE, mime.essence_str().to_string()),
                    (header::CACHE_CONTROL, cache.to_string()),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                ],
                body,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
