//! The Billing page's data: `GET /console/v1/billing/analytics?start=&end=` (Unix seconds,
//! whole UTC days, at most 90; the last 30 days by default), the agent's own WABA's cost and
//! volume by day, category, country and phone number, and its templates' performance.
//! Business admins only.

use crate::error::ApiResult;
use crate::extract::AgentSession;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::billing::day_range;
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::analytics::BillingAnalytics;

/// Routes of the Billing page's data.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/console/v1/billing/analytics", get(analytics))
}

#[derive(serde::Deserialize)]
struct RangeParams {
    start: Option<i64>,
    end: Option<i64>,
}

async fn analytics(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    q: Result<Query<RangeParams>, QueryRejection>,
) -> ApiResult<Json<BillingAnalytics>> {
    Tools::require_admin(&s.agent)?;
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    let (start, end) = day_range(app.now(), q.start, q.end)?;
    Ok(Json(
        app.billing
            .billing_page(s.agent.waba_id, start, end)
            .await?,
    ))
}
