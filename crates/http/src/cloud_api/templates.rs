//! Message templates: `/{waba-id}/message_templates` (list with paging and `summary`, create,
//! delete by name) and the template node `/{template-id}` (get, edit).

use super::graph::{check_version, decode, BusinessToken, GraphError, GraphParams};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
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
    GraphParams(q): GraphParams<ListQuery>,
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
    GraphParams(params): GraphParams<Map<String, Value>>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    token.own_waba(&waba_id)?;
    let req = template_params(params)?;
    Ok(Json(
        app.integration.create_template(token.waba_id, &req).await?,
    ))
}

/// The array parameter of a template create or edit, decoded when it came JSON-encoded.
#[derive(Deserialize)]
struct Components {
    #[serde(default)]
    components: Option<Vec<Value>>,
}

/// A template's parameters as the integration domain reads them.
fn template_params(mut params: Map<String, Value>) -> Result<Value, GraphError> {
    let Components { components } = decode(params.clone())?;
    if let Some(c) = components {
        params.insert("components".into(), Value::Array(c));
    }
    Ok(Value::Object(params))
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
    GraphParams(q): GraphParams<DeleteQuery>,
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
    GraphParams(params): GraphParams<Map<String, Value>>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    if let Some(done) = super::catalog::update_product(&app, token.waba_id, &id, &params).await? {
        return Ok(Json(done));
    }
    let req = template_params(params)?;
    app.integration
        .edit_template(token.waba_id, &id, &req)
        .await?;
    Ok(Json(json!({"success": true})))
}
