//! Rendering domain errors as the client and admin APIs' `{"error":{"code","message"}}`.

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
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let wasla_core::Error::Internal(detail) = &self.0 {
            tracing::error!(%detail, "internal error");
        }
        let status =
            StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            Json(ErrorEnvelope {
                error: error_body(&self.0),
            }),
        )
            .into_response()
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;
