//! Message templates: `/{waba-id}/message_templates` (list with paging and `summary`, create,
//! delete by name) and the template node `/{template-id}` (get, edit).

use super::graph::{check_version, parse_json, BusinessToken, GraphBody, GraphError, GraphQuery};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::integration::TemplateFilter;
use wasla_core::{Error, Wasla};

#[derive(Deserialize)]
pub struct ListQuery {
    name: Option<String>,
    status: Option<String>,
    category: Option<String>,
    language: Option<String>,
    limit: Option<i64>,
    after: Option<String>,
}

pub async fn list(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
    GraphQuery(q): GraphQuery<ListQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    let filter = TemplateFilter {
        name: q.name,
        status: q.status.map(|s| s.to_ascii_uppercase()),
        category: q.category.map(|s| s.to_ascii_uppercase()),
        language: q.language,
    };
    let after = q.after.as_deref().and_then(|a| a.parse().ok());
    let limit = q.limit.unwrap_or(25);
    let (data, next, summary) = app
        .integration
        .list_templates(token.waba_id, &filter, after, limit)
        .await?;
    let first = data
        .first()
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let last = data
        .last()
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let mut paging = json!({"cursors": {"before": first, "after": last}});
    if let Some(n) = next {
        paging["next"] = json!(format!(
            "{}/{version}/{waba_id}/message_templates?limit={limit}&after={n}",
            app.config.public_url()
        ));
    }
    Ok(Json(
        json!({"data": data, "paging": paging, "summary": summary}),
    ))
}

pub async fn create(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    let req: Value = parse_json(&body)?;
    Ok(Json(
        app.integration.create_template(token.waba_id, &req).await?,
    ))
}

#[derive(Deserialize)]
pub struct DeleteQuery {
    name: Option<String>,
    hsm_id: Option<String>,
}

pub async fn delete(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, waba_id)): Path<(String, String)>,
    GraphQuery(q): GraphQuery<DeleteQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    let name = q.name.ok_or_else(|| {
        Error::graph(
            100,
            400,
            "Invalid parameter",
            "The parameter name is required.",
        )
    })?;
    app.integration
        .delete_template(token.waba_id, &name, q.hsm_id.as_deref())
        .await?;
    Ok(Json(json!({"success": true})))
}

pub async fn edit_node(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, id)): Path<(String, String)>,
    GraphBody(body): GraphBody,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    if let Some(done) = super::catalog::update_product(&app, token.waba_id, &id, &body).await? {
        return Ok(Json(done));
    }
    let req: Value = parse_json(&body)?;
    app.integration
        .edit_template(token.waba_id, &id, &req)
        .await?;
    Ok(Json(json!({"success": true})))
}
