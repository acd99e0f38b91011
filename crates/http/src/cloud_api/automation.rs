//! Conversational automation (`/{phone-number-id}/conversational_automation`): the welcome
//! message switch, ice-breaker prompts and `/` commands, each changed only when given (a body
//! that is not an object, or names an unknown field or a wrong type, is refused and changes
//! nothing); GET reads them back.

use super::graph::{check_version, BusinessToken, GraphError, GraphParams};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::tools::ConversationalAutomationUpdate;

pub async fn set(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<ConversationalAutomationUpdate>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
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
