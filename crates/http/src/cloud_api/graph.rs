//! Graph error envelopes (`{"error":{"message","type","code",…,"fbtrace_id"}}`) for every
//! Cloud API failure, the business-token extractor, version checks and JSON bodies that fail
//! in the Graph format.

use crate::extract::bearer;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use rand::RngCore;
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::graph::{GraphErrorData, GraphErrorEnvelope};

/// A domain error rendered as a Graph error.
#[derive(Debug)]
pub struct GraphError(pub Error);

impl From<Error> for GraphError {
    fn from(e: Error) -> Self {
        GraphError(e)
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let (code, status, title, details) = match self.0 {
            Error::Graph {
                code,
                status,
                title,
                details,
            } => (code, status, title, details),
            Error::Unauthorized(d) => (190, 401, "Invalid OAuth access token".into(), d),
            Error::Forbidden(d) => (200, 403, "Permissions error".into(), d),
            Error::NotFound(d) => (100, 400, "Invalid parameter".into(), d),
            Error::BadRequest(d) | Error::Conflict(d) | Error::TooLarge(d) => {
                (100, 400, "Invalid parameter".into(), d)
            }
            Error::UnsupportedMedia(d) => (131053, 400, "Media upload error".into(), d),
            Error::RateLimited(d) => (130429, 429, "Rate limit hit".into(), d),
            Error::Internal(d) => {
                tracing::error!(detail = %d, "internal error");
                (
                    131000,
                    500,
                    "Something went wrong".into(),
                    "Please try again later.".into(),
                )
            }
        };
        let trace = trace_id();
        let body = GraphErrorEnvelope {
            error: wasla_types::graph::GraphError {
                message: format!("(#{code}) {title}"),
                kind: "OAuthException".into(),
                code,
                error_subcode: None,
                error_data: Some(GraphErrorData {
                    messaging_product: "whatsapp".into(),
                    details,
                }),
                is_transient: Some(status >= 500),
                fbtrace_id: trace.clone(),
            },
        };
        let mut resp = (
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            Json(body),
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&trace) {
            resp.headers_mut().insert("x-fb-trace-id", v);
        }
        resp
    }
}

/// A random trace id like Graph's.
fn trace_id() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// The WABA a business access token acts for.
pub struct BusinessToken {
    /// The WABA id.
    pub waba_id: i64,
}

impl FromRequestParts<Arc<Wasla>> for BusinessToken {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<Wasla>) -> Result<Self, GraphError> {
        let token = bearer(parts).filter(|t| !t.is_empty()).ok_or_else(|| {
            Error::graph(
                104,
                401,
                "An access token is required to request this resource",
                "Send Authorization: Bearer <token> or access_token=.",
            )
        })?;
        Ok(BusinessToken {
            waba_id: app.business.waba_for_token(&token).await?,
        })
    }
}

impl BusinessToken {
    /// The WABA id in a path must be this token's.
    pub fn own_waba(&self, waba_id: &str) -> Result<(), GraphError> {
        if waba_id.parse::<i64>().ok() == Some(self.waba_id) {
            Ok(())
        } else {
            Err(GraphError(Error::unknown_object(waba_id)))
        }
    }
}

/// Check a `vNN.N` path prefix.
pub fn check_version(version: &str) -> Result<(), GraphError> {
    let ok = version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(GraphError(Error::graph(
            2500,
            400,
            "Unknown path components",
            format!("Unknown path component: /{version}"),
        )))
    }
}

/// The answer to a request for a path that is not an endpoint (Graph code 100), as Graph
/// gives it: `method` in lower case, `path` without its leading slash.
pub fn not_an_endpoint(method: &str, path: &str) -> Response {
    GraphError(Error::graph(
        100,
        400,
        "Invalid parameter",
        format!("Unsupported {method} request: /{path} is not an endpoint of this server."),
    ))
    .into_response()
}

/// Parse a JSON body, failing with Graph code 100.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, GraphError> {
    serde_json::from_slice(bytes)
        .map_err(|e| GraphError(Error::graph(100, 400, "Invalid parameter", e.to_string())))
}

/// A `{version}` path segment followed by others.
pub type Versioned<T> = Path<(String, T)>;

/// A query string; malformed ones are Graph code 100.
pub struct GraphQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for GraphQuery<T> {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, GraphError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| GraphQuery(q.0))
            .map_err(|e| GraphError(Error::graph(100, 400, "Invalid parameter", e.body_text())))
    }
}

/// A raw body; one over the size limit is Graph code 100 too.
pub struct GraphBody(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for GraphBody {
    type Rejection = GraphError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, GraphError> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(GraphBody)
            .map_err(|e| {
                GraphError(Error::graph(
                    100,
                    400,
                    "Invalid parameter",
                    format!("the request body could not be read: {}", e.body_text()),
                ))
            })
    }
}
