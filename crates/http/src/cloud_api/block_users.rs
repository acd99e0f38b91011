//! `/{phone-number-id}/block_users` (with or without a version, as whatsapp-api-js calls it):
//! `POST` blocks people who wrote to the number in the last 24 hours, `DELETE` unblocks them,
//! `GET` lists them newest first with cursor paging. Meta's shapes; a request naming anyone
//! who cannot be (un)blocked fails as a whole with Graph code 139100 and changes nothing.

use super::graph::{check_version, BusinessToken, GraphError, GraphParams, Versioned};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::limits::{BlockUsersRequest, BlockUsersResponse};

/// Query of the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    limit: Option<i64>,
    after: Option<String>,
}

pub async fn block_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Versioned<String>,
    params: GraphParams<BlockUsersRequest>,
) -> Result<Json<BlockUsersResponse>, GraphError> {
    check_version(&version)?;
    block(state, token, Path(phone_number_id), params).await
}

pub async fn block(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    GraphParams(req): GraphParams<BlockUsersRequest>,
) -> Result<Json<BlockUsersResponse>, GraphError> {
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    Ok(Json(app.billing.block_users(&number, req).await?))
}

pub async fn unblock_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Versioned<String>,
    params: GraphParams<BlockUsersRequest>,
) -> Result<Json<BlockUsersResponse>, GraphError> {
    check_version(&version)?;
    unblock(state, token, Path(phone_number_id), params).await
}

pub async fn unblock(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    GraphParams(req): GraphParams<BlockUsersRequest>,
) -> Result<Json<BlockUsersResponse>, GraphError> {
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    Ok(Json(app.billing.unblock_users(&number, req).await?))
}

pub async fn list_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Versioned<String>,
    params: GraphParams<ListQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    list(state, token, Path(phone_number_id), params).await
}

pub async fn list(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    GraphParams(q): GraphParams<ListQuery>,
) -> Result<Json<Value>, GraphError> {
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    let limit = q.limit.unwrap_or(25);
    let (data, next) = app
        .billing
        .blocked_users(&number, limit, q.after.as_deref())
        .await?;
    let mut body = json!({ "data": data });
    if let Some(after) = next {
        body["paging"] = json!({
            "cursors": {"after": after},
            "next": format!(
                "{}/v23.0/{phone_number_id}/block_users?limit={limit}&after={after}",
                app.config.public_url()
            ),
        });
    }
    Ok(Json(body))
}
