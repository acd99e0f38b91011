//! Chats, groups, history, sending, read marks and receipts.

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::client::{Chat, GroupUpdate, Message, MessagePage, NewGroup, SendMessage};

#[derive(Deserialize)]
pub struct WaIdBody {
    wa_id: String,
}

#[derive(Deserialize)]
pub struct WaIdsBody {
    wa_ids: Vec<String>,
}

#[derive(Deserialize)]
pub struct ReadBody {
    up_to_seq: i64,
}

#[derive(Deserialize)]
pub struct PageQuery {
    before_seq: Option<i64>,
    limit: Option<i64>,
}

pub async fn list(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.chats.list_chats(me.account.id).await?}),
    ))
}

pub async fn open_direct(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(b): Body<WaIdBody>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(app.chats.open_direct(&me.account, &b.wa_id).await?))
}

pub async fn create_group(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Body(b): Body<NewGroup>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(app.chats.create_group(&me.account, b).await?))
}

pub async fn get(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(app.chats.get_chat(me.account.id, &chat_id).await?))
}

pub async fn update_group(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<GroupUpdate>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(
        app.chats.update_group(&me.account, &chat_id, b).await?,
    ))
}

pub async fn add_members(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<WaIdsBody>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(
        app.chats
            .add_members(&me.account, &chat_id, &b.wa_ids)
            .await?,
    ))
}

pub async fn remove_member(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path((chat_id, wa_id)): Path<(String, String)>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(
        app.chats
            .remove_member(&me.account, &chat_id, &wa_id)
            .await?,
    ))
}

pub async fn make_admin(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<WaIdBody>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(
        app.chats
            .set_admin(&me.account, &chat_id, &b.wa_id, true)
            .await?,
    ))
}

pub async fn revoke_admin(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path((chat_id, wa_id)): Path<(String, String)>,
) -> ApiResult<Json<Chat>> {
    Ok(Json(
        app.chats
            .set_admin(&me.account, &chat_id, &wa_id, false)
            .await?,
    ))
}

pub async fn leave(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.chats.leave_group(&me.account, &chat_id).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn history(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<MessagePage>> {
    Ok(Json(
        app.chats
            .history(me.account.id, &chat_id, q.before_seq, q.limit)
            .await?,
    ))
}

pub async fn send(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<SendMessage>,
) -> ApiResult<Json<Message>> {
    Ok(Json(app.chats.send(&me.account, &chat_id, b).await?))
}

pub async fn read(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(chat_id): Path<String>,
    Body(b): Body<ReadBody>,
) -> ApiResult<Json<Value>> {
    app.chats
        .mark_read(&me.account, &chat_id, b.up_to_seq)
        .await?;
    Ok(Json(json!({"success": true})))
}

pub async fn receipts(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path((chat_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.chats.message_receipts(me.account.id, &chat_id, &id).await?}),
    ))
}
