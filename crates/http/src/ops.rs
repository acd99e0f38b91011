//! Operations endpoints: liveness, readiness (the database answers) and Prometheus metrics.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes for probes and metrics.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

async fn ready(State(app): State<Arc<Wasla>>) -> impl IntoResponse {
    match app.ready().await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn metrics(State(app): State<Arc<Wasla>>) -> impl IntoResponse {
    let body = app.metrics.render(app.accounts.presence.online_accounts());
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
}
