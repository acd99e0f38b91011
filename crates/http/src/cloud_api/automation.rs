//! Conversational automation (`/{phone-number-id}/conversational_automation`): the welcome
//! message switch, ice-breaker prompts and `/` commands; GET reads them back.

use super::graph::{check_version, parse_json, BusinessToken, GraphBody, GraphError};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::tools::ConversationalAutomation;

pub async fn set(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    let req: ConversationalAutomation = parse_json(&body)?;
    app.tools
        .set_conversational_automation(&number, req)
        .await?;
    Ok(Json(json!({"success": true})))
}

pub async fn get(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    let settings = app.tools.automation_settings(&number).await?;
    Ok(Json(json!({
        "conversational_automation": settings.conversational,
        "id": number.id.to_string(),
    })))
}
