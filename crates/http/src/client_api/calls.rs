//! Call history for people: `GET /client/v1/calls`, the signed-in person's calls, placed and
//! received, newest first (signalling itself rides the WebSocket: `ws/calls.rs`).

use crate::error::ApiResult;
use crate::extract::PersonSession;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::calls::CallPage;

/// Routes of call history in the client API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/client/v1/calls", get(history))
}

/// `?before=wacid…&limit=n`.
#[derive(Deserialize)]
struct HistoryQuery {
    before: Option<String>,
    limit: Option<i64>,
}

/// `GET /client/v1/calls`: a page of my calls, newest first.
async fn history(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<CallPage>> {
    let page = app
        .calls
        .history(&me.account, q.before.as_deref(), q.limit)
        .await?;
    Ok(Json(page))
}
