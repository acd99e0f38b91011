//! The published description of the Cloud API this server implements: an OpenAPI 3.1
//! document (`crates/http/openapi.json`, compiled in) served at `GET /openapi.json`. It covers
//! only what the Cloud API handlers do; `tests/schemathesis` checks the server against it.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// The document, as shipped.
const DOCUMENT: &str = include_str!("../openapi.json");

/// `GET /openapi.json`.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        DOCUMENT,
    )
}

#[cfg(test)]
mod tests {
    use super::DOCUMENT;

    #[test]
    fn the_document_is_openapi_json() {
        let doc: serde_json::Value = serde_json::from_str(DOCUMENT).expect("valid JSON");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        for path in [
            "/{version}/{phone_number_id}/messages",
            "/{version}/{phone_number_id}/media",
            "/{version}/{node}",
            "/media/download/{id}",
            "/{version}/{waba_id}/message_templates",
            "/{version}/{phone_number_id}/whatsapp_business_profile",
            "/{version}/{waba_id}/phone_numbers",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is documented");
        }
    }
}
