//! What the router answers when no route takes a request. Under the client, admin and console
//! APIs: a JSON error in that surface's format. Otherwise GET and HEAD are the web client's
//! (unless the path is versioned like the Cloud API's), and anything else is a Graph error,
//! since SDKs pointed at this server parse those.

use crate::cloud_api::{check_version, not_an_endpoint};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::{ErrorBody, ErrorEnvelope};

/// A path no route took: the web client's for GET and HEAD (and the APIs' JSON 404), a Graph
/// error otherwise (SDKs parse it), never a page.
pub async fn fallback(State(app): State<Arc<Wasla>>, method: Method, uri: Uri) -> Response {
    let api = uri.path().starts_with("/client/")
        || uri.path().starts_with("/admin/")
        || uri.path().starts_with("/console/v1/");
    let path = uri.path().trim_start_matches('/');
    if !api && method != Method::GET && method != Method::HEAD {
        return not_an_endpoint(&method.as_str().to_ascii_lowercase(), path);
    }
    let first = path.split('/').next().unwrap_or_default();
    if check_version(first).is_ok() {
        return not_an_endpoint("get", path);
    }
    crate::web::serve(State(app), uri).await
}

/// A known path with the wrong method: a JSON error in the surface's own format.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("client/") || path.starts_with("admin/") || path.starts_with("console/") {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: "method_not_allowed".into(),
                message: format!("{method} is not allowed on /{path}"),
                retry_after: None,
            },
        };
        return (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response();
    }
    not_an_endpoint(&method.as_str().to_ascii_lowercase(), path)
}
