//! Console handlers of a number's business profile (about, description, address, email,
//! websites, vertical, photo upload) and its commerce settings (cart on or off, catalog
//! visible). Agents read; admins change. Every rule is the Cloud API's own, in the business
//! and commerce domains, so the console refuses exactly what the API refuses.

use super::settings::number;
use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::tools::Tools;
use wasla_core::Wasla;
use wasla_types::cloud::BusinessProfileUpdate;

/// `GET /console/v1/numbers/{id}/profile`: the profile, as the Cloud API shows it.
pub async fn profile(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = number(&app, &s, &id).await?;
    let mut v = app.business.business_profile(&n).await?["data"][0].take();
    if n.photo.is_some() {
        v["photo_url"] = json!(format!("/console/v1/numbers/{id}/photo"));
    }
    Ok(Json(v))
}

/// `PUT /console/v1/numbers/{id}/profile` (admin): change the fields given.
pub async fn save_profile(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<BusinessProfileUpdate>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    app.business.update_business_profile(&n, &b).await?;
    profile(State(app), s, Path(id)).await
}

/// `POST /console/v1/numbers/{id}/photo` (admin): the image bytes as the body, with their
/// type in `Content-Type`; they become the profile photo.
pub async fn upload_photo(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    app.business.set_profile_photo(&n, &body, declared).await?;
    profile(State(app), s, Path(id)).await
}

/// `GET /console/v1/numbers/{id}/photo`: the profile photo's bytes.
pub async fn photo(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let n = number(&app, &s, &id).await?;
    let photo = n
        .photo
        .ok_or_else(|| wasla_core::Error::not_found("this number has no photo"))?;
    let (row, bytes) = app
        .accounts
        .download_media(n.id, &photo.to_string())
        .await?;
    Ok(crate::client_api::media::media_response(&row, bytes))
}

/// `GET /console/v1/numbers/{id}/commerce`: `{is_cart_enabled, is_catalog_visible}`.
pub async fn commerce(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let n = number(&app, &s, &id).await?;
    Ok(Json(
        app.commerce.commerce_settings_json(&n).await?["data"][0].take(),
    ))
}

/// The commerce settings form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommerceForm {
    #[serde(default)]
    is_cart_enabled: Option<bool>,
    #[serde(default)]
    is_catalog_visible: Option<bool>,
}

/// `PUT /console/v1/numbers/{id}/commerce` (admin): change the switches given.
pub async fn save_commerce(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
    Body(b): Body<CommerceForm>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    let n = number(&app, &s, &id).await?;
    let flag = |v: Option<bool>| v.map(|on| if on { "true" } else { "false" });
    app.commerce
        .set_commerce_settings(&n, flag(b.is_cart_enabled), flag(b.is_catalog_visible))
        .await?;
    commerce(State(app), s, Path(id)).await
}
