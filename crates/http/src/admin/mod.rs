//! The admin API (`/admin/v1`, operator token): what the operator and the CLI manage. Every
//! handler authorises with [`OperatorToken`](crate::extract::OperatorToken) and renders errors
//! in the client API's format. One file per resource: businesses (WABAs) with their phone
//! numbers, apps and access tokens; templates under review; webhook deliveries; the business
//! tools of a WABA or number; acting as a person for demos and tests; and the audit log.

mod audit;
mod businesses;
mod persons;
mod templates;
mod tools;
mod webhooks;

use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of the admin API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .merge(businesses::routes())
        .merge(templates::routes())
        .merge(webhooks::routes())
        .merge(persons::routes())
        .merge(tools::routes())
        .merge(audit::routes())
}
