//! Sign-in by verification code, one's own profile and privacy settings, and finding people
//! by number (seen as their privacy settings allow).

use crate::error::ApiResult;
use crate::extract::{Body, ClientAddr, PersonSession};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::{Account, CodeRequest, ProfileUpdate, Session, VerifyRequest};
use wasla_types::privacy::{Privacy, PrivacyUpdate};

pub async fn request_code(
    State(app): State<Arc<Wasla>>,
    ClientAddr(from): ClientAddr,
    Body(req): Body<CodeRequest>,
) -> ApiResult<Json<Value>> {
    let phone = app.accounts.request_code(&req.phone, from).await?;
    Ok(Json(
        json!({"phone": phone.e164, "wa_id": phone.wa_id, "expires_in": 600}),
    ))
}

pub async fn verify(
    State(app): State<Arc<Wasla>>,
    ClientAddr(from): ClientAddr,
    Body(req): Body<VerifyRequest>,
) -> ApiResult<Json<Session>> {
    Ok(Json(
        app.accounts
            .verify_code(&req.phone, &req.code, req.device.as_deref(), from)
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
    me: PersonSession,
    Query(q): Query<LookupQuery>,
) -> ApiResult<Json<Account>> {
    Ok(Json(app.accounts.lookup(&me.account, &q.phone).await?))
}

/// An account as the caller may see it: a person's photo, about and last seen only as their
/// privacy settings allow.
pub async fn account(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Account>> {
    Ok(Json(
        app.accounts.profile_by_wa_id(&me.account, &wa_id).await?,
    ))
}

/// The caller's privacy settings.
pub async fn privacy(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<Privacy>> {
    Ok(Json(app.accounts.privacy(&me.account).await?))
}

/// Change the caller's privacy settings (the fields given).
pub async fn set_privacy(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(req): Body<PrivacyUpdate>,
) -> ApiResult<Json<Privacy>> {
    Ok(Json(app.accounts.set_privacy(&me.account, req).await?))
}
