//! Graph error envelopes (`{"error":{"message","type","code",…,"fbtrace_id"}}`) for every
//! Cloud API failure (an id that does not exist or is another tenant's gets Graph's own
//! `GraphMethodException` with subcode 33, naming the request's method), the business-token
//! extractor, version checks, and [`GraphParams`]: every handler's parameters gathered as Graph
//! gathers them, from the query string and a JSON, form-encoded or multipart body.

use crate::extract::bearer;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
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
        if let Some(id) = unknown_object_id(&self.0) {
            return unknown_object(id);
        }
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
            Error::TooManyAttempts { message, .. } => {
                (4, 429, "Application request limit reached".into(), message)
            }
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
        let body = wasla_types::graph::GraphError {
            message: format!("(#{code}) {title}"),
            kind: "OAuthException".into(),
            code,
            error_subcode: None,
            error_data: Some(GraphErrorData {
                messaging_product: "whatsapp".into(),
                details,
            }),
            is_transient: Some(status >= 500),
            fbtrace_id: trace,
        };
        envelope(status, body)
    }
}

/// A Graph error body as a response, with its trace id in `x-fb-trace-id` too.
fn envelope(status: u16, error: wasla_types::graph::GraphError) -> Response {
    let trace = error.fbtrace_id.clone();
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        Json(GraphErrorEnvelope { error }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&trace) {
        resp.headers_mut().insert("x-fb-trace-id", v);
    }
    resp
}

/// The id of [`Error::unknown_object`]'s error, if that is what `e` is.
fn unknown_object_id(e: &Error) -> Option<&str> {
    let Error::Graph {
        code: 100, details, ..
    } = e
    else {
        return None;
    };
    details
        .strip_prefix("Unsupported request. Object with ID '")?
        .strip_suffix("' does not exist, cannot be loaded due to missing permissions, or does not support this operation.")
}

/// Graph's answer for an id that does not exist or that the token may not see, word for word
/// as Meta gives it (HTTP 400, code 100, subcode 33, `GraphMethodException`), with the
/// request's method in it.
fn unknown_object(id: &str) -> Response {
    let method = METHOD.try_with(|m| *m).unwrap_or("get");
    envelope(
        400,
        wasla_types::graph::GraphError {
            message: format!(
                "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be \
                 loaded due to missing permissions, or does not support this operation. Please \
                 read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
            ),
            kind: "GraphMethodException".into(),
            code: 100,
            error_subcode: Some(33),
            error_data: None,
            is_transient: None,
            fbtrace_id: trace_id(),
        },
    )
}

tokio::task_local! {
    /// The method of the Cloud API request being answered, in lower case.
    static METHOD: &'static str;
}

/// Middleware of every Cloud API route: errors rendered while the request is handled know its
/// method (Graph's "Unsupported get request", "Unsupported post request", …).
pub async fn with_method(req: Request, next: axum::middleware::Next) -> Response {
    let method = match *req.method() {
        Method::POST => "post",
        Method::DELETE => "delete",
        Method::PUT => "put",
        Method::PATCH => "patch",
        _ => "get",
    };
    METHOD.scope(method, next.run(req)).await
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
        let waba_id = app.business.waba_for_token(&token).await?;
        crate::audit::note(
            parts,
            wasla_core::business::Actor::BusinessToken { waba_id },
        );
        Ok(BusinessToken { waba_id })
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

/// A `{version}` path segment followed by others.
pub type Versioned<T> = Path<(String, T)>;

/// Graph's own parameters (credentials), never a handler's.
const CREDENTIALS: &[&str] = &["access_token", "appsecret_proof", "appsecret_time"];

/// Every parameter of a Cloud API request, as Graph takes them: the query string and the body
/// (JSON, `application/x-www-form-urlencoded` or `multipart/form-data` text fields) merged,
/// the body's value winning when both name a parameter, then decoded into `T` with Graph's
/// coercions ([`super::params`]): text where the type wants a boolean, a number, an object or
/// an array is read as one. `T = Map<String, Value>` takes them as they came. Bad input is
/// Graph code 100 naming the parameter.
pub struct GraphParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for GraphParams<T> {
    type Rejection = GraphError;

    async fn from_request(req: Request, state: &S) -> Result<Self, GraphError> {
        let mut params = Map::new();
        add_pairs(
            &mut params,
            req.uri().query().unwrap_or_default().as_bytes(),
        );
        for (k, v) in body_params(req, state).await? {
            params.insert(k, v);
        }
        decode(params).map(GraphParams)
    }
}

/// The query-string parameters only, decoded like [`GraphParams`]: for requests whose body is
/// a file (a CSV import, a media upload) rather than parameters.
pub struct GraphQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for GraphQuery<T> {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, GraphError> {
        let mut params = Map::new();
        add_pairs(
            &mut params,
            parts.uri.query().unwrap_or_default().as_bytes(),
        );
        decode(params).map(GraphQuery)
    }
}

/// Decode gathered parameters into `T` (Graph code 100 naming the parameter otherwise).
pub fn decode<T: DeserializeOwned>(mut params: Map<String, Value>) -> Result<T, GraphError> {
    for name in CREDENTIALS {
        params.remove(*name);
    }
    super::params::decode(params).map_err(|d| GraphError(Error::invalid_param(d)))
}

/// Add form-encoded pairs; a name given more than once collects its values in an array.
fn add_pairs(params: &mut Map<String, Value>, encoded: &[u8]) {
    for (k, v) in form_urlencoded::parse(encoded) {
        let v = Value::String(v.into_owned());
        match params.get_mut(k.as_ref()) {
            Some(Value::Array(items)) => items.push(v),
            Some(first) => *first = Value::Array(vec![first.take(), v]),
            None => {
                params.insert(k.into_owned(), v);
            }
        }
    }
}

/// The parameters a request's body carries, by its content type.
async fn body_params<S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<Map<String, Value>, GraphError> {
    let bad = |what: String| GraphError(Error::invalid_param(what));
    let mime = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut params = Map::new();
    if mime == "multipart/form-data" {
        let mut form = Multipart::from_request(req, state).await.map_err(|e| {
            bad(format!(
                "the multipart body could not be read: {}",
                e.body_text()
            ))
        })?;
        while let Some(field) = form.next_field().await.map_err(|e| {
            bad(format!(
                "the multipart body could not be read: {}",
                e.body_text()
            ))
        })? {
            let name = field.name().unwrap_or_default().to_string();
            if field.file_name().is_some() {
                return Err(bad(format!(
                    "{name}: a file is only taken by /{{phone-number-id}}/media"
                )));
            }
            let text = field
                .text()
                .await
                .map_err(|e| bad(format!("{name}: {}", e.body_text())))?;
            params.insert(name, Value::String(text));
        }
        return Ok(params);
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        bad(format!(
            "the request body could not be read: {}",
            e.body_text()
        ))
    })?;
    if mime == "application/x-www-form-urlencoded" {
        add_pairs(&mut params, &bytes);
    } else if !bytes.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => params = map,
            Ok(_) => {
                return Err(bad(
                    "the request body must be a JSON object of parameters".into()
                ))
            }
            Err(e) => return Err(bad(format!("the request body is not valid JSON: {e}"))),
        }
    }
    Ok(params)
}

/// A raw body (a CSV file); one over the size limit is Graph code 100 too.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_objects_are_recognised() {
        assert_eq!(unknown_object_id(&Error::unknown_object("42")), Some("42"));
        assert_eq!(unknown_object_id(&Error::invalid_param("42")), None);
    }

    #[test]
    fn repeated_names_collect_their_values() {
        let mut m = Map::new();
        add_pairs(&mut m, b"a=1&b=x+y&a=2&a=3");
        assert_eq!(m["a"], serde_json::json!(["1", "2", "3"]));
        assert_eq!(m["b"], "x y");
    }
}
