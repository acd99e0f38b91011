//! `POST /{phone-number-id}/messages`: sends of every supported type, and read marks with the
//! typing indicator. Parameters come as Graph takes them (JSON, form fields or the query
//! string, objects possibly JSON-encoded); a send without `type` is a text, as in Meta's own
//! example.

use super::graph::{check_version, decode, BusinessToken, GraphError, GraphParams, Versioned};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::cloud::{MarkRead, SendRequest};

pub async fn send_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Versioned<String>,
    params: GraphParams<Map<String, Value>>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    send(state, token, Path(phone_number_id), params).await
}

pub async fn send(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    GraphParams(mut params): GraphParams<Map<String, Value>>,
) -> Result<Json<Value>, GraphError> {
    let number = app
        .business
        .sending_number(token.waba_id, &phone_number_id)
        .await?;
    if !params.contains_key("type") {
        if params.contains_key("status") {
            app.integration
                .cloud_mark_read(&number, decode::<MarkRead>(params)?)
                .await?;
            return Ok(Json(json!({"success": true})));
        }
        params.insert("type".into(), json!("text"));
    }
    let req: SendRequest = decode(params)?;
    Ok(Json(
        serde_json::to_value(app.integration.cloud_send(&number, req).await?)
            .map_err(wasla_core::Error::internal)?,
    ))
}
