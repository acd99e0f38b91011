//! The Cloud API (`/{version}/…`, any `vNN.N` or none): compatible with Meta's WhatsApp Cloud
//! API so existing SDKs work by changing the base URL. One file per Meta resource; errors are
//! Graph error envelopes; every path is checked against the token's WABA.

mod graph;
mod messages;
mod templates;

use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the Cloud API, with and without a version prefix.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/{version}/{phone_number_id}/messages",
            post(messages::send_versioned),
        )
        .route("/{phone_number_id}/messages", post(messages::send))
        .route(
            "/{version}/{waba_id}/message_templates",
            get(templates::list)
                .post(templates::create)
                .delete(templates::delete),
        )
        .route(
            "/{version}/{node}",
            get(templates::get_node).post(templates::edit_node),
        )
}
