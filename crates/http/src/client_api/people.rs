//! Sign-in by verification code, one's own profile, and finding people by number.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::{Account, CodeRequest, ProfileUpdate, Session, VerifyRequest};

pub async fn request_code(
    State(app): State<Arc<Wasla>>,
    Body(req): Body<CodeRequest>,
) -> ApiResult<Json<Value>> {
    let phone = app.accounts.request_code(&req.phone).await?;
    Ok(Json(
        json!({"phone": phone.e164, "wa_id": phone.wa_id, "expires_in": 600}),
    ))
}

pub async fn verify(
    State(app): State<Arc<Wasla>>,
    Body(req): Body<VerifyRequest>,
) -> ApiResult<Json<Session>> {
    Ok(Json(
        app.accounts
            .verify_code(&req.phone, &req.code, req.device.as_deref())
            .await?,
    ))
}

pub async fn logout(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<Value>> {
    app.accounts.logout(me.session_id).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn me(State(app): State<Arc<Wasla>>, me: PersonSession) -> Json<Account> {
    Json(app.accounts.account_view(&me.account))
}

pub async fn update_me(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(req): Body<ProfileUpdate>,
) -> ApiResult<Json<Account>> {
    Ok(Json(app.accounts.update_profile(&me.account, req).await?))
}

#[derive(Deserialize)]
pub struct LookupQuery {
    phone: String,
}

pub async fn lookup(
    State(app): State<Arc<Wasla>>,
    _me: PersonSession,
    Query(q): Query<LookupQuery>,
) -> ApiResult<Json<Account>> {
    Ok(Json(app.accounts.lookup(&q.phone).await?))
}

pub async fn account(
    State(app): State<Arc<Wasla>>,
    _me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Account>> {
    Ok(Json(
        app.accounts
            .account_view(&app.accounts.find_by_wa_id(&wa_id).await?),
    ))
}
