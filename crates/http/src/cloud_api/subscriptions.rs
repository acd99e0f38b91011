//! `/{waba-id}/subscribed_apps`: list, subscribe (optionally with a callback override, given
//! in the JSON body or the query) and unsubscribe.

use super::graph::{check_version, BusinessToken, GraphError, GraphParams};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;

#[derive(Deserialize)]
pub struct Subscribe {
    override_callback_uri: Option<String>,
    verify_token: Option<String>,
}

fn own(token: &BusinessToken, version: &str, waba_id: &str) -> Result<(), GraphError> {
    check_version(version)?;
    token.own_waba(waba_id)
}

pub async fn list(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    own(&token, &version, &waba_id)?;
    Ok(Json(app.business.subscribed_apps(token.waba_id).await?))
}

pub async fn subscribe(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<Subscribe>,
) -> Result<Json<Value>, GraphError> {
    own(&token, &version, &waba_id)?;
    app.business
        .subscribe_apps(
            token.waba_id,
            req.override_callback_uri.as_deref(),
            req.verify_token.as_deref(),
        )
        .await?;
    Ok(Json(json!({"success": true})))
}

pub async fn unsubscribe(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    own(&token, &version, &waba_id)?;
    app.business.unsubscribe_apps(token.waba_id).await?;
    Ok(Json(json!({"success": true})))
}
