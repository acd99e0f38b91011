//! Catalog images uploaded from the business console, public like every product image (the
//! shop, the public catalog and link previews show them): `GET /catalog/images/{id}`. Any other
//! media id is not found.

use crate::error::ApiResult;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use wasla_core::Wasla;

/// Routes of catalog images.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new().route("/catalog/images/{id}", get(image))
}

async fn image(State(app): State<Arc<Wasla>>, Path(id): Path<String>) -> ApiResult<Response> {
    let (mime, bytes) = app.commerce.catalog_image(&id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (
                header::CACHE_CONTROL,
                "public, max-age=86400, immutable".into(),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".into(),
            ),
        ],
        bytes,
    )
        .into_response())
}
