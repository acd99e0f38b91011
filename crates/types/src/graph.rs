//! The Graph API error envelope (`{"error":{"message","type","code",…}}`) shared by every
//! Cloud API and admin API error response.

use serde::{Deserialize, Serialize};

/// The body of a Graph error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphError {
    /// `(#code) title` followed by detail.
    pub message: String,
    /// Almost always `OAuthException`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The Graph error code.
    pub code: i64,
    /// Deprecated sub-code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<i64>,
    /// Human explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<GraphErrorData>,
    /// Whether retrying may succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_transient: Option<bool>,
    /// Request trace id.
    pub fbtrace_id: String,
}

/// `error_data` of a Graph error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphErrorData {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// What exactly was wrong.
    pub details: String,
}

/// `{"error": GraphError}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphErrorEnvelope {
    /// The error.
    pub error: GraphError,
}
