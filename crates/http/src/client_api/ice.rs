//! `GET /client/v1/calls/ice-servers`: the STUN and TURN servers a signed-in person's client
//! sets up call media with, each TURN entry with a credential of its own that expires
//! (`docs/calls-network.md`).

use crate::error::ApiResult;
use crate::extract::PersonSession;
use axum::extract::State;
use axum::Json;
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::ice::IceServers;

/// `GET /client/v1/calls/ice-servers`.
pub async fn ice_servers(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
) -> ApiResult<Json<IceServers>> {
    Ok(Json(app.turn.ice_servers(&me.session_id.to_string())))
}
