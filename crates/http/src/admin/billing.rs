//! Balances and invoices in the admin API, under `/admin/v1/billing/accounts/{waba_id}`: a
//! WABA's billing account (the path itself: balance and terms, which `PATCH` changes),
//! top-ups and adjustments (`top-ups`, `adjustments`: ledger entries recorded as the
//! operator's), its
//! ledger (`ledger?before=&limit=`) and its monthly invoices (`invoices/{month}` as JSON,
//! `…/csv`, `…/html`). Unknown WABAs are 404; bad amounts are 400 naming the field.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::billing::{
    BillingAccount, BillingTerms, Invoice, LedgerEntry, LedgerPage, NewLedgerEntry,
};

/// Routes of balances and invoices.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/admin/v1/billing/accounts/{waba_id}",
            get(account).patch(set_terms),
        )
        .route("/admin/v1/billing/accounts/{waba_id}/top-ups", post(top_up))
        .route(
            "/admin/v1/billing/accounts/{waba_id}/adjustments",
            post(adjust),
        )
        .route("/admin/v1/billing/accounts/{waba_id}/ledger", get(ledger))
        .route(
            "/admin/v1/billing/accounts/{waba_id}/invoices/{month}",
            get(invoice),
        )
        .route(
            "/admin/v1/billing/accounts/{waba_id}/invoices/{month}/csv",
            get(invoice_csv),
        )
        .route(
            "/admin/v1/billing/accounts/{waba_id}/invoices/{month}/html",
            get(invoice_html),
        )
}

async fn account(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
) -> ApiResult<Json<BillingAccount>> {
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(app.billing.billing_account(waba).await?))
}

async fn set_terms(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<BillingTerms>,
) -> ApiResult<Json<BillingAccount>> {
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(app.billing.set_billing_terms(waba, b).await?))
}

async fn top_up(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<NewLedgerEntry>,
) -> ApiResult<Json<LedgerEntry>> {
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(
        app.billing
            .post_credit(waba, "top_up", b, "operator")
            .await?,
    ))
}

async fn adjust(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    Body(b): Body<NewLedgerEntry>,
) -> ApiResult<Json<LedgerEntry>> {
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(
        app.billing
            .post_credit(waba, "adjustment", b, "operator")
            .await?,
    ))
}

/// `before` and `limit` of a ledger page.
#[derive(serde::Deserialize)]
pub(crate) struct PageParams {
    pub(crate) before: Option<String>,
    pub(crate) limit: Option<i64>,
}

async fn ledger(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(id): Path<String>,
    q: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<Json<LedgerPage>> {
    let Query(q) = q.map_err(|e| Error::bad(e.body_text()))?;
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(
        app.billing
            .ledger_page(waba, q.before.as_deref(), q.limit)
            .await?,
    ))
}

async fn invoice(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Json<Invoice>> {
    let waba = app.billing.billed_waba(&id).await?;
    Ok(Json(app.billing.invoice(waba, &month).await?))
}

async fn invoice_csv(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let waba = app.billing.billed_waba(&id).await?;
    let inv = app.billing.invoice(waba, &month).await?;
    csv_response(&inv)
}

async fn invoice_html(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path((id, month)): Path<(String, String)>,
) -> ApiResult<Response> {
    let waba = app.billing.billed_waba(&id).await?;
    let inv = app.billing.invoice(waba, &month).await?;
    Ok(html_response(&inv))
}

/// An invoice as a CSV download.
pub(crate) fn csv_response(inv: &Invoice) -> ApiResult<Response> {
    let body = wasla_core::billing::invoice_csv(inv)?;
    let name = format!("invoice-{}-{}.csv", inv.waba_id, inv.month);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// An invoice as a printable page.
pub(crate) fn html_response(inv: &Invoice) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        wasla_core::billing::invoice_html(inv),
    )
        .into_response()
}
