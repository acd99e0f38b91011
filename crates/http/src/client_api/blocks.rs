//! A person's blocks, reports and marketing opt-outs in the client API: list whom they
//! blocked, see where they stand with someone, block and unblock anyone by number, report a
//! business number (blocking it too unless told not to), and opt out of (or back into) a
//! business's marketing messages. Errors are the client API's JSON envelope.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, State};
use axum::Json;
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::limits::{BlockList, BlockRequest, MarketingPreference, Relation, ReportRequest};

/// `GET /client/v1/blocks`.
pub async fn list(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<BlockList>> {
    Ok(Json(app.billing.my_blocks(&me.account).await?))
}

/// `GET /client/v1/blocks/{wa_id}`.
pub async fn relation(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Relation>> {
    Ok(Json(app.billing.relation(&me.account, &wa_id).await?))
}

/// `PUT /client/v1/blocks/{wa_id}`.
pub async fn block(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
    Body(req): Body<BlockRequest>,
) -> ApiResult<Json<Relation>> {
    Ok(Json(
        app.billing.block(&me.account, &wa_id, req.reason).await?,
    ))
}

/// `DELETE /client/v1/blocks/{wa_id}`.
pub async fn unblock(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Relation>> {
    Ok(Json(app.billing.unblock(&me.account, &wa_id).await?))
}

/// `POST /client/v1/businesses/{wa_id}/report`.
pub async fn report(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
    Body(req): Body<ReportRequest>,
) -> ApiResult<Json<Relation>> {
    Ok(Json(
        app.billing
            .report(&me.account, &wa_id, req.reason, req.block.unwrap_or(true))
            .await?,
    ))
}

/// `PUT /client/v1/businesses/{wa_id}/marketing`.
pub async fn marketing(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
    Body(req): Body<MarketingPreference>,
) -> ApiResult<Json<Relation>> {
    Ok(Json(
        app.billing
            .set_marketing_opt_out(&me.account, &wa_id, req.opt_out)
            .await?,
    ))
}
