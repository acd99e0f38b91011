//! Console handlers of a business's Status updates: list the live ones with viewer counts and
//! read one's viewers and media (agents); post one and delete one (admins). Posting takes JSON
//! (a text update) or a multipart form with a `file` part (image or video) and an optional
//! `caption`.

use crate::client_api::status::status_media_response;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AgentSession, Body, Form};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::accounts::MediaKind;
use wasla_core::status::{BusinessPost, StatusFile};
use wasla_core::tools::Tools;
use wasla_core::{Error, Wasla};
use wasla_types::status::{BusinessStatus, BusinessStatuses, PostStatus, StatusViewers};

/// The largest post: the largest video, plus room for the caption.
const POST_BODY_LIMIT: usize = (16 << 20) + (64 << 10);

/// Routes of Status in the console API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route(
            "/console/v1/status",
            get(list)
                .post(create)
                .layer(DefaultBodyLimit::max(POST_BODY_LIMIT)),
        )
        .route("/console/v1/status/{id}", axum::routing::delete(remove))
        .route("/console/v1/status/{id}/viewers", get(viewers))
        .route("/console/v1/status/{id}/media", get(media))
        .route("/console/v1/status/{id}/thumbnail", get(thumbnail))
}

/// `GET /console/v1/status`: the WABA's live updates with their viewer counts.
async fn list(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<BusinessStatuses>> {
    Ok(Json(app.status.business_statuses(s.agent.waba_id).await?))
}

/// `POST /console/v1/status` (admin): post an update.
async fn create(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    req: Request,
) -> ApiResult<Json<BusinessStatus>> {
    Tools::require_admin(&s.agent)?;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let post = if multipart {
        let Form(form) = Form::from_request(req, &app).await?;
        read_form(form).await?
    } else {
        let Body(p) = Body::<PostStatus>::from_request(req, &app).await?;
        BusinessPost::Json(p)
    };
    Ok(Json(app.status.post_business(s.agent.waba_id, post).await?))
}

/// Read the `file` and `caption` parts of a post.
async fn read_form(mut form: axum::extract::Multipart) -> Result<BusinessPost, ApiError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError(if e.status().as_u16() == 413 {
            Error::TooLarge(format!(
                "a Status file may be at most {} bytes",
                MediaKind::Video.max_bytes()
            ))
        } else {
            Error::bad(format!("malformed multipart body: {}", e.body_text()))
        })
    };
    let (mut file, mut caption) = (None, None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let declared = field.content_type().map(str::to_string);
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                file = Some(StatusFile { bytes, declared });
            }
            "caption" => caption = Some(field.text().await.map_err(bad)?),
            other => return Err(Error::bad(format!("unknown field '{other}'")).into()),
        }
    }
    let file = file.ok_or_else(|| Error::bad("the form has no 'file' part"))?;
    Ok(BusinessPost::File {
        file,
        caption: caption.filter(|c| !c.trim().is_empty()),
    })
}

/// `DELETE /console/v1/status/{id}` (admin).
async fn remove(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Tools::require_admin(&s.agent)?;
    app.status.delete_business(s.agent.waba_id, &id).await?;
    Ok(Json(json!({"success": true})))
}

/// `GET /console/v1/status/{id}/viewers`.
async fn viewers(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Json<StatusViewers>> {
    Ok(Json(
        app.status.business_viewers(s.agent.waba_id, &id).await?,
    ))
}

/// `GET /console/v1/status/{id}/media`.
async fn media(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (mime, bytes) = app
        .status
        .business_media(s.agent.waba_id, &id, false)
        .await?;
    Ok(status_media_response(mime, bytes))
}

/// `GET /console/v1/status/{id}/thumbnail`.
async fn thumbnail(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (mime, bytes) = app
        .status
        .business_media(s.agent.waba_id, &id, true)
        .await?;
    Ok(status_media_response(mime, bytes))
}
