//! Console handler of catalog images: an admin uploads a picture for a product (the bytes as
//! the body, their type in `Content-Type`) and gets the public URL to use as its `image_url`,
//! so a shop needs no image hosting of its own.

use crate::error::ApiResult;
use crate::extract::AgentSession;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde_json::Value;
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::Wasla;

/// Largest request body of an image upload (images are at most 5 MB).
pub const IMAGE_BODY_LIMIT: usize = (5 << 20) + (64 << 10);

/// `POST /console/v1/catalog/images` (admin): `{id, url, mime_type}`.
pub async fn upload(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    Ok(Json(
        app.commerce
            .upload_catalog_image(s.agent.waba_id, &body, declared)
            .await?,
    ))
}
