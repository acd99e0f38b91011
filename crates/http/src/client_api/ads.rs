//! Ads for people: what happened to an ad of the Status feed (an impression, a tap that opens
//! the chat with the business and returns its greeting and a referral token, hide, report),
//! and opening a campaign's click-to-chat link (`/ad/{code}` sends the web client here). The
//! request's `Accept-Language` is the person's language for targeting.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::status::ads::ImpressionOutcome;
use wasla_core::Wasla;
use wasla_types::ads::{AdOpen, Reason};

/// Routes of ads in the client API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/client/v1/ads/{id}/impression", post(impression))
        .route("/client/v1/ads/{id}/tap", post(tap))
        .route("/client/v1/ads/{id}/hide", post(hide))
        .route("/client/v1/ads/{id}/report", post(report))
        .route("/client/v1/ads/links/{code}/open", post(open_link))
}

/// The request's `Accept-Language`: the person's language for the campaigns' targeting.
pub(super) fn language(h: &HeaderMap) -> Option<String> {
    h.get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `POST /client/v1/ads/{id}/impression`: `{"counted": bool}` (false once today's cap or the
/// campaign's pace stops it).
async fn impression(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let outcome = app
        .status
        .ad_impression(&me.account, &id, language(&headers).as_deref())
        .await?;
    Ok(Json(
        json!({"counted": outcome == ImpressionOutcome::Recorded}),
    ))
}

/// `POST /client/v1/ads/{id}/tap`: open the chat with the business.
async fn tap(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<AdOpen>> {
    Ok(Json(
        app.status
            .tap_ad(&me.account, &id, language(&headers).as_deref())
            .await?,
    ))
}

/// `POST /client/v1/ads/{id}/hide`: never show this campaign to me again.
async fn hide(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.status.hide_ad(&me.account, &id).await?;
    Ok(Json(json!({"success": true})))
}

/// `POST /client/v1/ads/{id}/report` `{"reason"}`: report to the operator (and hide).
async fn report(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
    Body(body): Body<Reason>,
) -> ApiResult<Json<Value>> {
    app.status.report_ad(&me.account, &id, &body.reason).await?;
    Ok(Json(json!({"success": true})))
}

/// `POST /client/v1/ads/links/{code}/open`: the same as a tap, from the link or QR code.
async fn open_link(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(code): Path<String>,
) -> ApiResult<Json<AdOpen>> {
    Ok(Json(app.status.open_ad_link(&me.account, &code).await?))
}
