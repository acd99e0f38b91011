//! The operator's review of ad campaigns: list them (`?status=pending_review` for the queue),
//! read one with its daily counters and its reports (reasons only), approve one, reject one
//! with a reason. The CLI's `wasla admin ads …` calls the same routes.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::ads::{Campaign, Campaigns, Reason};

/// Routes of the review.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/ads/campaigns", get(list))
        .route("/admin/v1/ads/campaigns/{id}", get(one))
        .route("/admin/v1/ads/campaigns/{id}/reports", get(reports))
        .route("/admin/v1/ads/campaigns/{id}/approve", post(approve))
        .route("/admin/v1/ads/campaigns/{id}/reject", post(reject))
}

/// `?status=`.
#[derive(Debug, Deserialize)]
struct ListQuery {
    status: Option<String>,
}

async fn list(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<Campaigns>> {
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    let data = app.status.review_list(q.status.as_deref()).await?;
    Ok(Json(Campaigns { data }))
}

async fn one(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(app.status.review_campaign(&id).await?))
}

async fn reports(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let data = app.status.campaign_reports(&id).await?;
    Ok(Json(json!({ "data": data })))
}

async fn approve(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(app.status.approve_campaign(&id).await?))
}

async fn reject(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(body): Body<Reason>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(app.status.reject_campaign(&id, &body.reason).await?))
}
