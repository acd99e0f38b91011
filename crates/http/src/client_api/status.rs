//! Status updates for people: the feed, posting (text, or an uploaded image or video), one
//! update and its media, viewing, reacting, replying, the viewers of my own, deleting my own,
//! my default audience and muting authors.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::Message;
use wasla_types::status::{
    Audience, PostStatus, StatusFeed, StatusMute, StatusReaction, StatusReply, StatusUpdate,
    StatusViewers,
};

/// Routes of Status in the client API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/client/v1/status", get(feed).post(create))
        .route(
            "/client/v1/status/audience",
            get(audience).put(set_audience),
        )
        .route("/client/v1/status/mutes/{wa_id}", put(mute).delete(unmute))
        .route("/client/v1/status/{id}", get(one).delete(remove))
        .route("/client/v1/status/{id}/media", get(media))
        .route("/client/v1/status/{id}/thumbnail", get(thumbnail))
        .route("/client/v1/status/{id}/view", post(view))
        .route("/client/v1/status/{id}/viewers", get(viewers))
        .route("/client/v1/status/{id}/reply", post(reply))
        .route("/client/v1/status/{id}/react", post(react))
}

/// `GET /client/v1/status`: my feed.
async fn feed(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    headers: HeaderMap,
) -> ApiResult<Json<StatusFeed>> {
    let lang = super::ads::language(&headers);
    Ok(Json(app.status.feed(&me.account, lang.as_deref()).await?))
}

/// `POST /client/v1/status`: post an update.
async fn create(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(req): Body<PostStatus>,
) -> ApiResult<Json<StatusUpdate>> {
    Ok(Json(app.status.post(&me.account, &req).await?))
}

/// `GET /client/v1/status/audience`: my default audience.
async fn audience(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<Audience>> {
    Ok(Json(app.status.default_audience(&me.account).await?))
}

/// `PUT /client/v1/status/audience`: change my default audience.
async fn set_audience(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(a): Body<Audience>,
) -> ApiResult<Json<Audience>> {
    Ok(Json(
        app.status.set_default_audience(&me.account, &a).await?,
    ))
}

/// `GET /client/v1/status/{id}`: one update I may see.
async fn one(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<StatusUpdate>> {
    Ok(Json(app.status.update(&me.account, &id).await?))
}

/// `DELETE /client/v1/status/{id}`: delete my own update.
async fn remove(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.status.delete(&me.account, &id).await?;
    Ok(Json(json!({"success": true})))
}

/// `GET /client/v1/status/{id}/media`.
async fn media(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (mime, bytes) = app.status.media(&me.account, &id, false).await?;
    Ok(status_media_response(mime, bytes))
}

/// `GET /client/v1/status/{id}/thumbnail`.
async fn thumbnail(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (mime, bytes) = app.status.media(&me.account, &id, true).await?;
    Ok(status_media_response(mime, bytes))
}

/// `POST /client/v1/status/{id}/view`.
async fn view(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.status.mark_viewed(&me.account, &id).await?;
    Ok(Json(json!({"success": true})))
}

/// `GET /client/v1/status/{id}/viewers` (author only).
async fn viewers(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<StatusViewers>> {
    Ok(Json(app.status.viewers(&me.account, &id).await?))
}

/// `POST /client/v1/status/{id}/reply`: a message quoting the update, in the direct chat.
async fn reply(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
    Body(r): Body<StatusReply>,
) -> ApiResult<Json<Message>> {
    Ok(Json(app.status.reply(&me.account, &id, &r.text).await?))
}

/// `POST /client/v1/status/{id}/react`.
async fn react(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
    Body(r): Body<StatusReaction>,
) -> ApiResult<Json<StatusUpdate>> {
    Ok(Json(app.status.react(&me.account, &id, &r.emoji).await?))
}

/// `PUT /client/v1/status/mutes/{wa_id}`.
async fn mute(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<StatusMute>> {
    Ok(Json(app.status.set_mute(&me.account, &wa_id, true).await?))
}

/// `DELETE /client/v1/status/mutes/{wa_id}`.
async fn unmute(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<StatusMute>> {
    Ok(Json(app.status.set_mute(&me.account, &wa_id, false).await?))
}

/// An update's bytes: never cached for long (an update can be deleted or expire), never
/// treated as a page.
pub(crate) fn status_media_response(mime: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, "inline".into()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-cache".into()),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".into(),
            ),
        ],
        bytes,
    )
        .into_response()
}
