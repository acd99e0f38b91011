//! Graph nodes by id: `GET /{version}/{id}` answers for a template or a media object the
//! token's WABA may see (the WABA node's `analytics`, `pricing_analytics` and
//! `template_analytics` fields are expanded by the billing domain), `DELETE /{version}/{id}`
//! deletes media. Two-segment paths that are not versioned are the web client's own files.

use super::graph::{check_version, BusinessToken, GraphError, GraphParams, GraphQuery};
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::{Error, Wasla};

#[derive(Deserialize)]
pub struct NodeQuery {
    phone_number_id: Option<String>,
    /// `fields=…`: the WABA node's analytics fields are expanded by the billing domain.
    fields: Option<String>,
}

pub async fn get(
    State(app): State<Arc<Wasla>>,
    Path((version, id)): Path<(String, String)>,
    req: Request,
) -> Response {
    if check_version(&version).is_err() {
        return crate::web::serve(State(app), req.uri().clone()).await;
    }
    let (mut parts, _) = req.into_parts();
    let result = async {
        let token = BusinessToken::from_request_parts(&mut parts, &app).await?;
        let GraphQuery(q) = GraphQuery::<NodeQuery>::from_request_parts(&mut parts, &app).await?;
        if let Some(fields) = q.fields.as_deref() {
            if let Some(node) = app.billing.waba_fields(token.waba_id, &id, fields).await? {
                return Ok(Json(node));
            }
        }
        if let Some(node) = app.business.waba_node(token.waba_id, &id).await? {
            return Ok(Json(node));
        }
        if let Some(product) = super::catalog::get_product(&app, token.waba_id, &id).await? {
            return Ok(Json(product));
        }
        match app.integration.owned_template(token.waba_id, &id).await {
            Ok(t) => Ok(Json(wasla_core::integration::template_json(&t))),
            Err(_) => Ok::<_, GraphError>(Json(
                app.integration
                    .cloud_media_object(token.waba_id, &id, q.phone_number_id.as_deref())
                    .await?,
            )),
        }
    };
    result.await.into_response()
}

pub async fn delete(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, id)): Path<(String, String)>,
    GraphParams(q): GraphParams<NodeQuery>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    if let Some(done) = super::catalog::delete_product(&app, token.waba_id, &id).await? {
        return Ok(Json(done));
    }
    app.integration
        .cloud_delete_media(token.waba_id, &id, q.phone_number_id.as_deref())
        .await?;
    Ok(Json(json!({"success": true})))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    exp: i64,
    sig: String,
}

/// The short-lived URL from `GET /{media-id}`, fetched with the same bearer token.
pub async fn download(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(id): Path<String>,
    GraphParams(q): GraphParams<DownloadQuery>,
) -> Result<Response, GraphError> {
    let (row, bytes) = app
        .integration
        .cloud_download(token.waba_id, &id, q.exp, &q.sig)
        .await?;
    Ok(crate::client_api::media::media_response(&row, bytes))
}

/// `POST /{phone-number-id}/media`: multipart with `file` (and optionally `messaging_product`
/// and `type`, in the form or the query).
pub async fn upload(
    State(app): State<Arc<Wasla>>,
    token: BusinessToken,
    Path(phone_number_id): Path<String>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<Value>, GraphError> {
    let number = app
        .business
        .owned_number(token.waba_id, &phone_number_id)
        .await?;
    let form = form.map_err(|e| {
        Error::graph(
            100,
            400,
            "Invalid parameter",
            format!(
                "send multipart/form-data with a file part: {}",
                e.body_text()
            ),
        )
    })?;
    let file = crate::client_api::media::read_file_part(form)
        .await
        .map_err(|e| GraphError(e.0))?;
    Ok(Json(
        app.integration
            .cloud_upload(
                &number,
                &file.bytes,
                file.content_type.as_deref(),
                file.filename.as_deref(),
            )
            .await?,
    ))
}

pub async fn upload_versioned(
    state: State<Arc<Wasla>>,
    token: BusinessToken,
    Path((version, phone_number_id)): Path<(String, String)>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<Value>, GraphError> {
    check_version(&version)?;
    upload(state, token, Path(phone_number_id), form).await
}
