//! The client API's error body and envelope, shared by its JSON answers and the WebSocket's
//! frames (`client.rs` re-exports them).

use serde::{Deserialize, Serialize};

/// The client API's error body: `{"error":{"code","message"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code (`not_found`, `forbidden`, …).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Seconds before trying again can succeed (too many attempts; also the `Retry-After`
    /// header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// Wrapper for the client API's error responses.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}
