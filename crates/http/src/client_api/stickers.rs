//! Sticker packs for people: the packs I have (Wasla's own first), one pack by its link, the
//! packs a business published (its profile), adding and removing a pack, and sending a sticker
//! from a pack to a chat.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::Message;
use wasla_types::stickers::{SendSticker, StickerPack, StickerPacks};

/// Routes of sticker packs in the client API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/client/v1/sticker-packs", get(mine))
        .route(
            "/client/v1/sticker-packs/{id}",
            get(pack).put(add).delete(remove),
        )
        .route("/client/v1/chats/{chat_id}/stickers", post(send))
        .route(
            "/client/v1/businesses/{wa_id}/sticker-packs",
            get(of_business),
        )
}

/// `GET /client/v1/sticker-packs`: Wasla's own pack, then the packs I added.
async fn mine(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<StickerPacks>> {
    let data = app.status.my_packs(me.account.id).await?;
    Ok(Json(StickerPacks { data }))
}

/// `GET /client/v1/businesses/{wa_id}/sticker-packs`: the packs a business published, as its
/// profile shows them.
async fn of_business(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<StickerPacks>> {
    let data = app.status.business_packs(me.account.id, &wa_id).await?;
    Ok(Json(StickerPacks { data }))
}

/// `GET /client/v1/sticker-packs/{id}`: a pack, with whether I added it.
async fn pack(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<StickerPack>> {
    Ok(Json(app.status.pack(&id, Some(me.account.id)).await?))
}

/// `PUT /client/v1/sticker-packs/{id}`: add a pack.
async fn add(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<StickerPack>> {
    Ok(Json(app.status.add_pack(me.account.id, &id).await?))
}

/// `DELETE /client/v1/sticker-packs/{id}`: remove a pack I added.
async fn remove(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.status.remove_pack(me.account.id, &id).await?;
    Ok(Json(json!({"success": true})))
}

/// `POST /client/v1/chats/{chat_id}/stickers`: send a sticker from a pack I have.
async fn send(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<SendSticker>,
) -> ApiResult<Json<Message>> {
    let m = app
        .status
        .send_sticker(&me.account, &chat_id, &b.sticker_id, b.client_id)
        .await?;
    Ok(Json(m))
}
