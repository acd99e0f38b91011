//! Wasla's HTTP surfaces on axum: the client API and WebSocket gateway for the web client, the
//! admin API for operators, the embedded web client, and health/metrics endpoints. Handlers are
//! thin: parse, authorise by extractor type, call one service, render.

mod admin;
mod audit;
mod client_api;
mod cloud_api;
mod console_api;
mod error;
mod extract;
mod fallback;
mod openapi;
mod ops;
mod pages;
mod security;
mod web;
mod ws;

pub use client_api::media::{read_file_part, UploadedFile};
pub use cloud_api::check_version;
pub use error::ApiError;
pub use extract::bearer;
pub use extract::{AgentSession, OperatorToken, PersonSession};

use axum::Router;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use wasla_core::Wasla;

/// The whole HTTP application.
pub fn router(app: Arc<Wasla>) -> Router {
    let json_limit = app.config.limits.max_json_bytes;
    Router::new()
        .merge(client_api::routes(&app))
        .merge(admin::routes())
        .merge(ops::routes())
        .merge(cloud_api::routes(&app))
        .merge(openapi::routes())
        .merge(pages::routes())
        .merge(console_api::routes())
        .route(
            "/message/{code}",
            axum::routing::get(pages::links::short_link),
        )
        .route(
            "/message/{code}/open",
            axum::routing::get(pages::links::open_short_link),
        )
        .route("/qr/{file}", axum::routing::get(pages::links::image))
        .route("/client/v1/ws", axum::routing::get(ws::upgrade))
        // After every route: it reads each route's template.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            audit::record,
        ))
        .fallback(fallback::fallback)
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(json_limit))
        .layer(CatchPanicLayer::new())
        // Outside the panic catcher, so even a 500 carries them.
        .layer(axum::middleware::from_fn(security::headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(app)
}
