//! Console handlers of the WABA's catalog: products listed and searched, created, edited and
//! deleted (prices as decimal text), the collections, and CSV import with progress and the
//! per-row error report; and the WABA's orders with their payments. Agents read; admins
//! change. Rules are the catalog API's and the payments' own.

use crate::cloud_api::catalog::import_stream;
use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::commerce::{collections, console_input, product_view};
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::commerce::{ConsoleCsvImport, ConsoleProduct};

/// `?q=` of the product list; `?progress=true` of an import.
#[derive(Deserialize, Default)]
pub struct CatalogQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    progress: bool,
}

/// `GET /console/v1/catalog?q=`: the catalog, matching products and all collections.
pub async fn show(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Query(q): Query<CatalogQuery>,
) -> ApiResult<Json<Value>> {
    let Some(c) = app.commerce.console_catalog(s.agent.waba_id, false).await? else {
        return Ok(Json(
            json!({"catalog": null, "data": [], "collections": []}),
        ));
    };
    let all = app.commerce.search_products(&c, "").await?;
    let data = app.commerce.search_products(&c, &q.q).await?;
    Ok(Json(json!({
        "catalog": {"id": c.id.to_string(), "name": c.name},
        "data": data,
        "collections": collections(&all),
    })))
}

/// `POST /console/v1/catalog/products` (admin): a new product.
pub async fn create(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<ConsoleProduct>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let input = console_input(b, None)?;
    let c = app
        .commerce
        .console_catalog(s.agent.waba_id, true)
        .await?
        .ok_or_else(|| Error::not_found("no catalog"))?;
    Ok(Json(json!(product_view(
        &app.commerce.create_product(&c, input).await?
    ))))
}

/// `PATCH /console/v1/catalog/products/{id}` (admin): change the fields given.
pub async fn update(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<ConsoleProduct>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let p = app.commerce.console_product(s.agent.waba_id, &id).await?;
    let input = console_input(b, Some(&p.currency))?;
    Ok(Json(json!(product_view(
        &app.commerce.update_product(p, input).await?
    ))))
}

/// `DELETE /console/v1/catalog/products/{id}` (admin).
pub async fn delete(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let p = app.commerce.console_product(s.agent.waba_id, &id).await?;
    app.commerce.delete_product(&p).await?;
    Ok(Json(json!({"success": true})))
}

/// `POST /console/v1/catalog/import[?progress=true]` (admin): `{csv}`; the report, or with
/// progress NDJSON lines then `{"done":true,"report":{…}}`.
pub async fn import(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Query(q): Query<CatalogQuery>,
    Body(b): Body<ConsoleCsvImport>,
) -> ApiResult<Response> {
    Tools::require_admin(&s.agent)?;
    let c = app
        .commerce
        .console_catalog(s.agent.waba_id, true)
        .await?
        .ok_or_else(|| Error::not_found("no catalog"))?;
    if q.progress {
        return Ok(import_stream(app, c, b.csv));
    }
    let none = |_: usize, _: usize| {};
    Ok(Json(app.commerce.import_products_csv(&c, &b.csv, &none).await?).into_response())
}

/// `GET /console/v1/orders`: the WABA's orders with payments, fees and refunds.
pub async fn orders(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.commerce.console_orders(s.agent.waba_id).await?}),
    ))
}
