//! The audit log in the console: `GET /console/v1/audit?before=&limit=`, what happened to the
//! agent's own business (its agents', its tokens' and the operator's actions), newest first.
//! Business admins only.

use crate::error::ApiResult;
use crate::extract::AgentSession;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::audit::AuditPage;

/// Routes of the audit log.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/console/v1/audit", get(audit))
}

#[derive(serde::Deserialize)]
struct AuditParams {
    before: Option<String>,
    limit: Option<i64>,
}

async fn audit(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    q: Result<Query<AuditParams>, QueryRejection>,
) -> ApiResult<Json<AuditPage>> {
    Tools::require_admin(&s.agent)?;
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    Ok(Json(
        app.business
            .audit_log(Some(s.agent.waba_id), q.before.as_deref(), q.limit)
            .await?,
    ))
}
