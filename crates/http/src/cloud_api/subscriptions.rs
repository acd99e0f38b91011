//! `/{waba-id}/subscribed_apps`: list, subscribe (optionally with a callback override, given
//! in the JSON body or the query) and unsubscribe.

use super::graph::{check_version, BusinessToken, GraphBody, GraphError, GraphQuery};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;

#[derive(Deserialize, Default)]
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
    GraphQuery(query): GraphQuery<Subscribe>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    own(&token, &version, &waba_id)?;
    let from_body: Subscribe = if body.is_empty() {
        Subscribe::default()
    } else {
        super::graph::parse_json(&body)?
    };
    let uri = from_body
        .override_callback_uri
        .or(query.override_callback_uri);
    let verify = from_body.verify_token.or(query.verify_token);
    app.business
        .subscribe_apps(token.waba_id, uri.as_deref(), verify.as_deref())
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
