//! Businesses (WABAs) and what hangs off them in the admin API: creating and listing WABAs,
//! their phone numbers and apps, issuing and revoking business access tokens, and a number's
//! fee ledger.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::admin::{
    App, IssuedToken, List, NewApp, NewPhoneNumber, NewToken, NewWaba, PhoneNumber, Waba,
};

/// Routes of businesses, phone numbers, apps and tokens.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/businesses", post(create_waba).get(list_wabas))
        .route(
            "/admin/v1/businesses/{id}/phone-numbers",
            get(list_phone_numbers),
        )
        .route("/admin/v1/businesses/{id}/apps", get(list_apps))
        .route("/admin/v1/phone-numbers", post(create_phone_number))
        .route("/admin/v1/phone-numbers/{id}/ledger", get(ledger))
        .route("/admin/v1/apps", post(create_app))
        .route("/admin/v1/tokens", post(create_token))
        .route("/admin/v1/tokens/{id}", delete(revoke_token))
}

async fn create_waba(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewWaba>,
) -> ApiResult<Json<Waba>> {
    Ok(Json(app.business.create_waba(&b.name).await?))
}

async fn list_wabas(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
) -> ApiResult<Json<List<Waba>>> {
    Ok(Json(List {
        data: app.business.list_wabas().await?,
    }))
}

async fn list_phone_numbers(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<List<PhoneNumber>>> {
    Ok(Json(List {
        data: app.business.list_phone_numbers(&id).await?,
    }))
}

async fn list_apps(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<List<App>>> {
    Ok(Json(List {
        data: app.business.list_apps(&id).await?,
    }))
}

async fn create_phone_number(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewPhoneNumber>,
) -> ApiResult<Json<PhoneNumber>> {
    Ok(Json(app.business.create_phone_number(&b).await?))
}

async fn create_app(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewApp>,
) -> ApiResult<Json<App>> {
    Ok(Json(app.business.create_app(&b).await?))
}

async fn create_token(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewToken>,
) -> ApiResult<Json<IssuedToken>> {
    Ok(Json(app.business.create_business_token(&b.waba_id).await?))
}

async fn revoke_token(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.business.revoke_business_token(&id).await?;
    Ok(Json(json!({"success": true})))
}

/// The operator's fees charged on a number's orders.
async fn ledger(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(app.commerce.fee_ledger(&id).await?))
}
