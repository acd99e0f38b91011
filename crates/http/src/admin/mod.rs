//! The admin API (`/admin/v1`, operator token): what the operator and the CLI manage. Every
//! handler authorises with [`OperatorToken`](crate::extract::OperatorToken) and renders errors
//! in the client API's format. One file per resource: businesses (WABAs) with their phone
//! numbers, apps and access tokens; templates under review; webhook deliveries; the business
//! tools of a WABA or number; acting as a person for demos and tests; and the audit log.

mod ads;
mod audit;
pub(crate) mod billing;
mod billing_cards;
mod businesses;
mod limits;
mod persons;
mod revenue;
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
        .merge(ads::routes())
        .merge(templates::routes())
        .merge(webhooks::routes())
        .merge(persons::routes())
        .merge(tools::routes())
        .merge(audit::routes())
        .merge(billing::routes())
        .merge(billing_cards::routes())
        .merge(revenue::routes())
        .merge(limits::routes())
}
