//! `POST /{phone-number-id}/messages`: sends of every supported type, and read marks with the
//! typing indicator.

use super::graph::{check_version, parse_json, BusinessToken, GraphBody, GraphError, Versioned};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::cloud::{MarkRead, SendRequest};

pub async fn send_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Versioned<String>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    send(state, token, Path(phone_number_id), GraphBody(body)).await
}

pub async fn send(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    let number = app
        .business
        .sending_number(token.waba_id, &phone_number_id)
        .await?;
    let raw: Value = parse_json(&body)?;
    if raw.get("status").is_some() && raw.get("type").is_none() {
        app.integration
            .cloud_mark_read(&number, parse_json::<MarkRead>(&body)?)
            .await?;
        return Ok(Json(json!({"success": true})));
    }
    let req: SendRequest = parse_json(&body)?;
    Ok(Json(
        serde_json::to_value(app.integration.cloud_send(&number, req).await?)
            .map_err(wasla_core::Error::internal)?,
    ))
}
