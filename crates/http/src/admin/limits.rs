//! Messaging limits in the admin API: `GET /admin/v1/businesses/{id}/limits` shows a WABA's
//! tier, its unique recipients of the last 24 hours, its 7-day peak, when it is next
//! evaluated, its numbers' quality ratings and its tier history; `PUT` with `{"tier": …}`
//! sets the tier (the WABA's apps hear of a change).

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::limits::{LimitsView, TierUpdate};

/// Routes of messaging limits.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new().route(
        "/admin/v1/businesses/{id}/limits",
        get(limits).put(set_tier),
    )
}

fn waba_id(id: &str) -> Result<i64, Error> {
    wasla_core::ids::parse_id(id).ok_or_else(|| Error::not_found("no such business"))
}

async fn limits(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<LimitsView>> {
    Ok(Json(app.billing.limits_view(waba_id(&id)?).await?))
}

async fn set_tier(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<TierUpdate>,
) -> ApiResult<Json<LimitsView>> {
    Ok(Json(
        app.billing
            .set_messaging_tier(waba_id(&id)?, b.tier.trim())
            .await?,
    ))
}
