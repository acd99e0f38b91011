//! The one error type of the domain. Each surface renders it in its own format (the client
//! API's `{"error":{"code","message"}}`, the Graph envelope on the Cloud API).

/// Result with the domain error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The request is malformed or breaks a rule.
    #[error("{0}")]
    BadRequest(String),
    /// Missing, bad or revoked credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No such thing, or not visible to the caller.
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with existing state.
    #[error("{0}")]
    Conflict(String),
    /// Body or upload too large.
    #[error("{0}")]
    TooLarge(String),
    /// Media type not accepted.
    #[error("{0}")]
    UnsupportedMedia(String),
    /// Too many requests.
    #[error("{0}")]
    RateLimited(String),
    /// Too many attempts (codes, guesses, passwords): refused until `retry_after` seconds
    /// have passed, which the answer says (a `retry_after` field and a `Retry-After` header).
    #[error("{message}")]
    TooManyAttempts {
        /// What was refused and when to try again.
        message: String,
        /// Seconds until a new attempt can succeed (at least 1).
        retry_after: u64,
    },
    /// A fault on our side; details are logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// A Cloud API rule broken, with its Graph error code (131009, 131047, 132001, …).
    #[error("{title}: {details}")]
    Graph {
        /// The Graph error code.
        code: i64,
        /// HTTP status to answer with.
        status: u16,
        /// Short title, as Meta words it.
        title: String,
        /// What exactly was wrong.
        details: String,
    },
}

impl Error {
    /// The machine-readable code used by the client API.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::TooLarge(_) => "too_large",
            Error::UnsupportedMedia(_) => "unsupported_media_type",
            Error::RateLimited(_) | Error::TooManyAttempts { .. } => "rate_limited",
            Error::Internal(_) => "internal",
            Error::Graph { status, .. } => match status {
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                429 => "rate_limited",
                500.. => "internal",
                _ => "bad_request",
            },
        }
    }

    /// The HTTP status that goes with the error.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::BadRequest(_) => 400,
            Error::Unauthorized(_) => 401,
            Error::Forbidden(_) => 403,
            Error::NotFound(_) => 404,
            Error::Conflict(_) => 409,
            Error::TooLarge(_) => 413,
            Error::UnsupportedMedia(_) => 415,
            Error::RateLimited(_) | Error::TooManyAttempts { .. } => 429,
            Error::Internal(_) => 500,
            Error::Graph { status, .. } => *status,
        }
    }

    /// Seconds to wait before trying again, when the error says so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::TooManyAttempts { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// A Cloud API error with its Graph code.
    pub fn graph(code: i64, status: u16, title: &str, details: impl Into<String>) -> Self {
        Error::Graph {
            code,
            status,
            title: title.into(),
            details: details.into(),
        }
    }

    /// Graph code 100, the Cloud API's "Invalid parameter".
    pub fn invalid_param(details: impl Into<String>) -> Self {
        Error::graph(100, 400, "Invalid parameter", details)
    }

    /// The Cloud API's answer for an id that does not exist or belongs to another business:
    /// the same words either way, so nothing leaks.
    pub fn unknown_object(id: &str) -> Self {
        Error::invalid_param(format!(
            "Unsupported request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
        ))
    }

    /// Shorthand for a bad request.
    pub fn bad(msg: impl Into<String>) -> Self {
        Error::BadRequest(msg.into())
    }

    /// Shorthand for not found.
    pub fn not_found(msg: impl Into<String>) -> Self {
        Error::NotFound(msg.into())
    }

    /// Shorthand for an internal fault.
    pub fn internal(msg: impl std::fmt::Display) -> Self {
        Error::Internal(msg.to_string())
    }
}
