//! The business profile of a number (`/{phone-number-id}/whatsapp_business_profile`; an update
//! names only known fields, each checked, and changes nothing when one is refused) and a
//! WABA's phone numbers (`/{waba-id}/phone_numbers`).

use super::graph::{check_version, BusinessToken, GraphError, GraphParams};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::cloud::BusinessProfileUpdate;

pub async fn get_profile(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    Ok(Json(app.business.business_profile(&number).await?))
}

pub async fn update_profile(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<BusinessProfileUpdate>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    app.business.update_business_profile(&number, &req).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn phone_numbers(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    Ok(Json(app.business.waba_phone_numbers(token.waba_id).await?))
}
