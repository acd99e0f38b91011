//! The Cloud API (`/{version}/…`, any `vNN.N` or none): compatible with Meta's WhatsApp Cloud
//! API so existing SDKs work by changing the base URL. One file per Meta resource; parameters
//! are gathered as Graph gathers them (query string, JSON, form or multipart body: `graph.rs`,
//! `params.rs`); errors are Graph error envelopes; every path is checked against the token's
//! WABA.

pub(crate) mod catalog;
mod graph;

pub use graph::check_version;
pub(crate) use graph::not_an_endpoint;
mod automation;
mod block_users;
mod messages;
mod nodes;
mod params;
mod profile;
mod qrdls;
mod subscriptions;
mod templates;

use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the Cloud API, with and without a version prefix.
pub fn routes(app: &Arc<Wasla>) -> Router<Arc<Wasla>> {
    let upload_limit =
        axum::extract::DefaultBodyLimit::max(app.config.limits.max_upload_bytes + (64 << 10));
    Router::new()
        .route(
            "/{version}/{phone_number_id}/media",
            post(nodes::upload_versioned).layer(upload_limit),
        )
        .route(
            "/{phone_number_id}/media",
            post(nodes::upload).layer(upload_limit),
        )
        .route(
            "/{version}/{phone_number_id}/messages",
            post(messages::send_versioned),
        )
        .route("/{phone_number_id}/messages", post(messages::send))
        .route(
            "/{version}/{phone_number_id}/block_users",
            get(block_users::list_versioned)
                .post(block_users::block_versioned)
                .delete(block_users::unblock_versioned),
        )
        .route(
            "/{phone_number_id}/block_users",
            get(block_users::list)
                .post(block_users::block)
                .delete(block_users::unblock),
        )
        .route(
            "/{version}/{waba_id}/message_templates",
            get(templates::list)
                .post(templates::create)
                .delete(templates::delete),
        )
        .route(
            "/{version}/{node}",
            get(nodes::get)
                .post(templates::edit_node)
                .delete(nodes::delete),
        )
        .route("/media/download/{id}", get(nodes::download))
        .route(
            "/{version}/{waba_id}/subscribed_apps",
            get(subscriptions::list)
                .post(subscriptions::subscribe)
                .delete(subscriptions::unsubscribe),
        )
        .route(
            "/{version}/{phone_number_id}/whatsapp_business_profile",
            get(profile::get_profile).post(profile::update_profile),
        )
        .route(
            "/{version}/{waba_id}/phone_numbers",
            get(profile::phone_numbers),
        )
        .route(
            "/{version}/{waba_id}/product_catalogs",
            get(catalog::list_catalogs).post(catalog::create_catalog),
        )
        .route(
            "/{version}/{catalog_id}/products",
            get(catalog::list_products).post(catalog::create_product),
        )
        .route("/{version}/{catalog_id}/batch", post(catalog::batch))
        .route(
            "/{version}/{catalog_id}/products_csv",
            post(catalog::import_csv),
        )
        .route(
            "/{version}/{phone_number_id}/whatsapp_commerce_settings",
            get(catalog::get_settings).post(catalog::set_settings),
        )
        .route(
            "/{version}/{phone_number_id}/message_qrdls",
            get(qrdls::list).post(qrdls::create),
        )
        .route(
            "/{version}/{phone_number_id}/message_qrdls/{code}",
            get(qrdls::get_one)
                .post(qrdls::update)
                .delete(qrdls::delete),
        )
        .route(
            "/{version}/{phone_number_id}/conversational_automation",
            get(automation::get).post(automation::set),
        )
        .layer(axum::middleware::from_fn(graph::with_method))
}
