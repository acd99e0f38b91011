//! The operator's revenue: `GET /admin/v1/revenue?start=&end=` (Unix seconds, whole UTC days,
//! at most 90; the last 30 days by default), what every business was charged for delivered
//! messages, by WABA and market (the recipient's country), with totals per currency.

use crate::error::ApiResult;
use crate::extract::OperatorToken;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::billing::day_range;
use wasla_core::{Error, Wasla};
use wasla_types::analytics::RevenueReport;

/// Routes of the revenue report.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/admin/v1/revenue", get(revenue))
}

#[derive(serde::Deserialize)]
struct RangeParams {
    start: Option<i64>,
    end: Option<i64>,
}

async fn revenue(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    q: Result<Query<RangeParams>, QueryRejection>,
) -> ApiResult<Json<RevenueReport>> {
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    let (start, end) = day_range(app.now(), q.start, q.end)?;
    Ok(Json(app.billing.revenue(start, end).await?))
}
