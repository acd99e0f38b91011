//! Webhook deliveries in the admin API: an app's delivery log (newest first, paged by
//! `before`) with each delivery's state, attempts and event, and redelivering one.

use crate::error::ApiResult;
use crate::extract::OperatorToken;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::admin::{Delivery, List};

/// Routes of the delivery log.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/apps/{id}/deliveries", get(deliveries))
        .route(
            "/admin/v1/apps/{id}/deliveries/{delivery_id}/redeliver",
            post(redeliver),
        )
}

#[derive(serde::Deserialize)]
struct LogQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn deliveries(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<List<Delivery>>> {
    let rows = app
        .integration
        .delivery_log(&id, q.before, q.limit.unwrap_or(50))
        .await?;
    let data = rows
        .into_iter()
        .map(|d| Delivery {
            id: d.id.to_string(),
            next_attempt_at: (d.state == "pending").then_some(d.next_attempt_at),
            state: d.state,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
            event: serde_json::from_str(&d.event).unwrap_or(Value::Null),
        })
        .collect();
    Ok(Json(List { data }))
}

async fn redeliver(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, delivery_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    app.integration.redeliver(&id, &delivery_id).await?;
    Ok(Json(json!({"success": true})))
}
