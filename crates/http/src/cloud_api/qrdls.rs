//! QR codes and short links (`/{phone-number-id}/message_qrdls`): create or update (with the
//! parameters in a JSON body, a form or the query string; an update may name its code in the
//! path, as whatsapp-api-js does), list with `fields` and `code` filters and cursor paging
//! (newest first), get one, delete.

use super::graph::{check_version, BusinessToken, GraphError, GraphParams};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::tools::QrCodeRequest;

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    fields: Option<String>,
    code: Option<String>,
    limit: Option<i64>,
    after: Option<String>,
}

pub async fn create(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphParams(req): GraphParams<QrCodeRequest>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    Ok(Json(json!(app.tools.put_qr(&number, req).await?)))
}

/// `POST /{phone-number-id}/message_qrdls/{code}`: update that code.
pub async fn update(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id, code)): Path<(String, String, String)>,
    GraphParams(mut req): GraphParams<QrCodeRequest>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    if req.code.as_deref().is_some_and(|c| c != code) {
        return Err(wasla_core::Error::invalid_param(
            "code: the body names another code than the path",
        )
        .into());
    }
    req.code = Some(code);
    Ok(Json(json!(app.tools.put_qr(&number, req).await?)))
}

pub async fn list(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    GraphParams(q): GraphParams<ListQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    // `qr_image_url.format(SVG)` in `fields` asks for image links.
    let fields = q.fields.clone().unwrap_or_default();
    let format = fields
        .split("qr_image_url.format(")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .map(|f| f.to_ascii_lowercase())
        .filter(|f| f == "svg" || f == "png");
    let limit = q.limit.unwrap_or(25);
    if !(1..=100).contains(&limit) {
        return Err(wasla_core::Error::invalid_param("limit must be between 1 and 100").into());
    }
    let rows = match &q.code {
        Some(code) => app
            .tools
            .owned_qr(&number, code)
            .await
            .map(|r| vec![r])
            .unwrap_or_default(),
        None => {
            let before = q.after.as_deref().and_then(|a| a.parse::<i64>().ok());
            app.tools.list_qrs(&number, before, limit + 1).await?
        }
    };
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let data: Vec<Value> = rows
        .iter()
        .map(|r| json!(app.tools.qr_view(r, format.as_deref())))
        .collect();
    let mut body = json!({"data": data});
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        body["paging"] = json!({"cursors": {"before": first.created_at.to_string(), "after": last.created_at.to_string()}});
        if more {
            body["paging"]["next"] = json!(format!(
                "{}/{version}/{phone_number_id}/message_qrdls?limit={limit}&after={}",
                app.config.public_url(),
                last.created_at
            ));
        }
    }
    Ok(Json(body))
}

pub async fn get_one(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id, code)): Path<(String, String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    let row = app.tools.owned_qr(&number, &code).await?;
    Ok(Json(json!({"data": [app.tools.qr_view(&row, None)]})))
}

pub async fn delete(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id, code)): Path<(String, String, String)>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    app.tools.delete_qr(&number, &code).await?;
    Ok(Json(json!({"success": true})))
}
