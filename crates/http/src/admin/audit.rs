//! The audit log in the admin API: `GET /admin/v1/audit?waba_id=&before=&limit=`, every
//! tenant's entries (or one WABA's), newest first, for the operator.

use crate::error::ApiResult;
use crate::extract::OperatorToken;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::audit::AuditPage;

/// Routes of the audit log.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/admin/v1/audit", get(audit))
}

#[derive(serde::Deserialize)]
struct AuditParams {
    waba_id: Option<String>,
    before: Option<String>,
    limit: Option<i64>,
}

async fn audit(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    q: Result<Query<AuditParams>, QueryRejection>,
) -> ApiResult<Json<AuditPage>> {
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    let waba = match q.waba_id.as_deref().filter(|w| !w.is_empty()) {
        Some(w) => Some(
            wasla_core::ids::parse_id(w)
                .ok_or_else(|| Error::bad(format!("waba_id: {w:?} is not a WABA id")))?,
        ),
        None => None,
    };
    Ok(Json(
        app.business
            .audit_log(waba, q.before.as_deref(), q.limit)
            .await?,
    ))
}
