//! Message templates in the admin API: the operator's review of a submitted template
//! (approve or reject with a reason), and a WABA's switch to approve its templates at once.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of template review.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/templates/{id}/review", post(review_template))
        .route("/admin/v1/businesses/{id}/auto-approve", post(auto_approve))
}

#[derive(serde::Deserialize)]
struct Review {
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

async fn review_template(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<Review>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        app.integration
            .review_template(&id, &b.status, b.reason.as_deref())
            .await?,
    ))
}

#[derive(serde::Deserialize)]
struct AutoApprove {
    enabled: bool,
}

async fn auto_approve(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<AutoApprove>,
) -> ApiResult<Json<Value>> {
    app.integration.set_auto_approve(&id, b.enabled).await?;
    Ok(Json(
        json!({"success": true, "auto_approve_templates": b.enabled}),
    ))
}
