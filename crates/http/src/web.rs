//! The web client: files from `web/`, embedded into the binary at build time, or read from
//! `--web-dir` while developing; the business console lives under `/console/`. Unknown paths
//! under the APIs get a JSON 404 instead; a business number's digits get its click-to-chat page.

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
pub async fn serve(State(app): State<Arc<Wasla>>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("client/") || path.starts_with("admin/") || path.starts_with("console/v1/")
    {
        return ApiError(Error::not_found(format!("no such endpoint: /{path}"))).into_response();
    }
    let first = path.split('/').next().unwrap_or_default();
    if crate::cloud_api::check_version(first).is_ok() {
        return unsupported("get", path);
    }
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

/// Anything but GET and HEAD that no route took: a Graph error (SDKs parse it), never a page.
pub async fn fallback(
    State(app): State<Arc<Wasla>>,
    method: axum::http::Method,
    uri: Uri,
) -> Response {
    let api = uri.path().starts_with("/client/")
        || uri.path().starts_with("/admin/")
        || uri.path().starts_with("/console/v1/");
    if api || method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        return serve(State(app), uri).await;
    }
    unsupported(
        &method.as_str().to_ascii_lowercase(),
        uri.path().trim_start_matches('/'),
    )
}

fn unsupported(method: &str, path: &str) -> Response {
    crate::cloud_api::GraphError(Error::graph(
        100,
        400,
        "Invalid parameter",
        format!("Unsupported {method} request: /{path} is not an endpoint of this server."),
    ))
    .into_response()
}

/// A known path with the wrong method: a JSON error in the surface's own format.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("client/") || path.starts_with("admin/") || path.starts_with("console/") {
        let body = wasla_types::client::ErrorEnvelope {
            error: wasla_types::client::ErrorBody {
                code: "method_not_allowed".into(),
                message: format!("{method} is not allowed on /{path}"),
            },
        };
        return (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response();
    }
    unsupported(&method.as_str().to_ascii_lowercase(), path)
}
