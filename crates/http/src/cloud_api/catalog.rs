//! Catalogs and products: `/{waba-id}/product_catalogs` (list, create), `/{catalog-id}/products`
//! (list with paging, create), `/{catalog-id}/batch` (upsert and delete by retailer id),
//! `/{catalog-id}/products_csv` (CSV import with a per-row report), the product node (get,
//! update, delete, dispatched from `nodes`), and `/{phone-number-id}/whatsapp_commerce_settings`.

use super::graph::{
    check_version, decode, BusinessToken, GraphBody, GraphError, GraphParams, GraphQuery,
};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use wasla_core::commerce::{product_view, CatalogRow};
use wasla_core::{Error, Wasla};
use wasla_types::commerce::ProductInput;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<i64>,
    after: Option<String>,
}

#[derive(Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    progress: bool,
}

/// Parameters of `/{catalog-id}/batch` (`requests` may come JSON-encoded, as in a form).
#[derive(Deserialize)]
pub struct BatchParams {
    requests: Vec<Value>,
    #[serde(default)]
    allow_upsert: Option<bool>,
}

/// Parameters of `/{waba-id}/product_catalogs`.
#[derive(Deserialize)]
pub struct CatalogParams {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    is_cart_enabled: Option<String>,
    is_catalog_visible: Option<String>,
}

pub async fn list_catalogs(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    Ok(Json(app.commerce.waba_catalogs(token.waba_id).await?))
}

pub async fn create_catalog(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<CatalogParams>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    let name = req.name.unwrap_or_default();
    let c = app.commerce.create_catalog(token.waba_id, &name).await?;
    Ok(Json(json!({"id": c.id.to_string()})))
}

pub async fn list_products(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, catalog_id)): Path<(String, String)>,
    GraphParams(q): GraphParams<ListQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let catalog = app
        .commerce
        .owned_catalog(token.waba_id, &catalog_id)
        .await?;
    let limit = q.limit.unwrap_or(25);
    let after = q.after.as_deref().and_then(|a| a.parse().ok());
    let (data, next) = app.commerce.list_products(&catalog, after, limit).await?;
    let cursor =
        |p: Option<&wasla_types::commerce::Product>| p.map(|p| p.id.clone()).unwrap_or_default();
    let mut paging =
        json!({"cursors": {"before": cursor(data.first()), "after": cursor(data.last())}});
    if let Some(n) = next {
        paging["next"] = json!(format!(
            "{}/{version}/{catalog_id}/products?limit={limit}&after={n}",
            app.config.public_url()
        ));
    }
    Ok(Json(json!({"data": data, "paging": paging})))
}

pub async fn create_product(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, catalog_id)): Path<(String, String)>,
    GraphParams(input): GraphParams<ProductInput>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let catalog = app
        .commerce
        .owned_catalog(token.waba_id, &catalog_id)
        .await?;
    let p = app.commerce.create_product(&catalog, input).await?;
    Ok(Json(json!({"id": p.id.to_string()})))
}

pub async fn batch(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, catalog_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<BatchParams>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let catalog = app
        .commerce
        .owned_catalog(token.waba_id, &catalog_id)
        .await?;
    let req = json!({"requests": req.requests, "allow_upsert": req.allow_upsert.unwrap_or(true)});
    Ok(Json(app.commerce.batch_products(&catalog, &req).await?))
}

/// With `?progress=true` the answer is NDJSON: `{"processed","total"}` lines as rows are
/// applied, then `{"done":true,"report":{…}}` (or `{"done":true,"error":{…}}`). Rows already
/// applied stay applied if the client goes away; the import finishes regardless.
pub async fn import_csv(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, catalog_id)): Path<(String, String)>,
    GraphQuery(q): GraphQuery<ImportQuery>,
    GraphBody(body): GraphBody,
) -> Result<Response, GraphError> {
    check_version(&version)?;
    let catalog = app
        .commerce
        .owned_catalog(token.waba_id, &catalog_id)
        .await?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| Error::invalid_param("the CSV must be UTF-8 text"))?;
    if !q.progress {
        let none = |_: usize, _: usize| {};
        return Ok(Json(
            app.commerce
                .import_products_csv(&catalog, &text, &none)
                .await?,
        )
        .into_response());
    }
    Ok(import_stream(app, catalog, text))
}

/// The NDJSON answer of a CSV import with progress (the Cloud API's and the console's).
pub(crate) fn import_stream(app: Arc<Wasla>, catalog: CatalogRow, text: String) -> Response {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let lines = tx.clone();
        let progress = move |processed: usize, total: usize| {
            let _ = lines.send(format!(
                "{}\n",
                json!({"processed": processed, "total": total})
            ));
        };
        let last = match app
            .commerce
            .import_products_csv(&catalog, &text, &progress)
            .await
        {
            Ok(report) => json!({"done": true, "report": report}),
            Err(e) => json!({"done": true, "error": {"message": e.to_string()}}),
        };
        let _ = tx.send(format!("{last}\n"));
    });
    let stream = futures::StreamExt::map(
        tokio_stream::wrappers::UnboundedReceiverStream::new(rx),
        Ok::<_, std::convert::Infallible>,
    );
    (
        [(axum::http::header::CONTENT_TYPE, "application/x-ndjson")],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

/// `GET /{product-id}` when the id is one of the WABA's products.
pub async fn get_product(app: &Wasla, waba_id: i64, id: &str) -> Result<Option<Value>, Error> {
    Ok(app
        .commerce
        .owned_product(waba_id, id)
        .await?
        .map(|p| json!(product_view(&p))))
}

/// `POST /{product-id}` when the id is one of the WABA's products.
pub async fn update_product(
    app: &Wasla,
    waba_id: i64,
    id: &str,
    params: &Map<String, Value>,
) -> Result<Option<Value>, GraphError> {
    let Some(p) = app.commerce.owned_product(waba_id, id).await? else {
        return Ok(None);
    };
    let input: ProductInput = decode(params.clone())?;
    app.commerce.update_product(p, input).await?;
    Ok(Some(json!({"success": true})))
}

/// `DELETE /{product-id}` when the id is one of the WABA's products.
pub async fn delete_product(app: &Wasla, waba_id: i64, id: &str) -> Result<Option<Value>, Error> {
    let Some(p) = app.commerce.owned_product(waba_id, id).await? else {
        return Ok(None);
    };
    app.commerce.delete_product(&p).await?;
    Ok(Some(json!({"success": true})))
}

pub async fn get_settings(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    Ok(Json(app.commerce.commerce_settings_json(&number).await?))
}

pub async fn set_settings(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphParams(q): GraphParams<SettingsQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    app.commerce
        .set_commerce_settings(
            &number,
            q.is_cart_enabled.as_deref(),
            q.is_catalog_visible.as_deref(),
        )
        .await?;
    Ok(Json(json!({"success": true})))
}
