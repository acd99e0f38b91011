//! Rendering domain errors as the client and admin APIs' `{"error":{"code","message"}}`, and
//! [`json_errors`], which gives every other failure of a route (axum's own rejections: a
//! malformed path, query or JSON body, a wrong content type, a body over the limit) the same
//! envelope instead of plain text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use wasla_types::client::{ErrorBody, ErrorEnvelope};

/// A domain error on its way out as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub wasla_core::Error);

impl From<wasla_core::Error> for ApiError {
    fn from(e: wasla_core::Error) -> Self {
        ApiError(e)
    }
}

/// The wire body of an error.
pub fn error_body(e: &wasla_core::Error) -> ErrorBody {
    let message = match e {
        // Internal details are in the log, not in responses.
        wasla_core::Error::Internal(_) => "something went wrong on the server".to_string(),
        other => other.to_string(),
    };
    ErrorBody {
        code: e.code().into(),
        message,
        retry_after: e.retry_after(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let wasla_core::Error::Internal(detail) = &self.0 {
            tracing::error!(%detail, "internal error");
        }
        let status =
            StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = (
            status,
            Json(ErrorEnvelope {
                error: error_body(&self.0),
            }),
        )
            .into_response();
        if let Some(secs) = self.0.retry_after() {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        resp
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

/// The JSON envelope for a failure that did not come from the domain: `status` kept (a 422 of
/// a body that did not fit its type becomes 400, like every other malformed body), the code
/// named after it.
pub fn status_error(status: StatusCode, message: &str) -> Response {
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let code = match status.as_u16() {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        426 => "upgrade_required",
        429 => "rate_limited",
        500.. => "internal",
        _ => "bad_request",
    };
    let message = if message.trim().is_empty() || status.is_server_error() {
        status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase()
    } else {
        message.trim().to_string()
    };
    let body = ErrorEnvelope {
        error: ErrorBody {
            code: code.into(),
            message,
            retry_after: None,
        },
    };
    (status, Json(body)).into_response()
}

/// Middleware for a JSON API's routes: an error answer that is not JSON (axum's rejections
/// are plain text) is rendered as the API's error envelope, keeping its status and headers.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 16 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let mut out = status_error(status, &text);
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    for (name, value) in parts.headers.drain().filter_map(|(n, v)| Some((n?, v))) {
        out.headers_mut().entry(name).or_insert(value);
    }
    out
}
