//! The business's own balance and invoices in the console, for its admin agents only:
//! `GET /console/v1/billing/account` (balance, terms and the standing low-balance warning the
//! banner shows), `…/ledger?before=&limit=`, and `…/invoices/{month}` as JSON, `…/csv` and
//! `…/html` (the printable page). Always the agent's own WABA: there is no id to name another.

use crate::admin::billing::{csv_response, html_response, PageParams};
use crate::error::ApiResult;
use crate::extract::AgentSession;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::billing::{BillingAccount, Invoice, LedgerPage};

/// Routes of the business's balance and invoices.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/console/v1/billing/account", get(account))
        .route("/console/v1/billing/ledger", get(ledger))
        .route("/console/v1/billing/invoices/{month}", get(invoice))
        .route("/console/v1/billing/invoices/{month}/csv", get(invoice_csv))
        .route(
            "/console/v1/billing/invoices/{month}/html",
            get(invoice_html),
        )
}

async fn account(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
) -> ApiResult<Json<BillingAccount>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(app.billing.billing_account(s.agent.waba_id).await?))
}

async fn ledger(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    q: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<Json<LedgerPage>> {
    Tools::require_admin(&s.agent)?;
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    Ok(Json(
        app.billing
            .ledger_page(s.agent.waba_id, q.before.as_deref(), q.limit)
            .await?,
    ))
}

async fn invoice(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(month): Path<String>,
) -> ApiResult<Json<Invoice>> {
    Tools::require_admin(&s.agent)?;
    Ok(Json(app.billing.invoice(s.agent.waba_id, &month).await?))
}

async fn invoice_csv(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(month): Path<String>,
) -> ApiResult<Response> {
    Tools::require_admin(&s.agent)?;
    csv_response(&app.billing.invoice(s.agent.waba_id, &month).await?)
}

async fn invoice_html(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(month): Path<String>,
) -> ApiResult<Response> {
    Tools::require_admin(&s.agent)?;
    Ok(html_response(
        &app.billing.invoice(s.agent.waba_id, &month).await?,
    ))
}
