//! Console handlers of the shared inbox: the list with filters, a chat's history, replies
//! (content, or a quick reply), read marks, state and assignment, notes, labels on a chat, and
//! the customer panel, and the inbox's business settings (the reopen rule; admins change it).

use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::tools::{InboxFilter, LabelTarget};
use wasla_core::{Error, Wasla};
use wasla_types::client::Message;
use wasla_types::content::Content;
use wasla_types::tools::{InboxSettings, InboxUpdate};

/// Filters of the inbox list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    assignee: Option<String>,
    label: Option<String>,
    q: Option<String>,
    sort: Option<String>,
}

pub async fn list(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let f = InboxFilter {
        state: q.state,
        assignee: q.assignee,
        label: q.label,
        q: q.q,
        sort: q.sort,
    };
    let mut chats = app.tools.inbox_list(&s.agent, &f).await?;
    app.status.fill_ad_origins(&mut chats).await?;
    Ok(Json(json!({ "data": chats })))
}

/// `?before_seq=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    before_seq: Option<i64>,
}

/// A page of history, plus `failed`: sends the Cloud API accepted and then failed, with
/// their error code and reason (the business side only).
pub async fn history(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Value>> {
    let page = app
        .tools
        .inbox_history(&s.agent, &chat_id, q.before_seq)
        .await?;
    let failed = app.tools.inbox_failed(&s.agent, &chat_id).await?;
    let mut v = serde_json::to_value(page).map_err(|e| Error::internal(e.to_string()))?;
    v["failed"] = serde_json::to_value(failed).map_err(|e| Error::internal(e.to_string()))?;
    Ok(Json(v))
}

/// A reply: content in Cloud API shape, or a quick reply by id.
#[derive(Debug, Deserialize)]
pub struct Reply {
    #[serde(default)]
    quick_reply_id: Option<String>,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(flatten)]
    content: Value,
}

pub async fn reply(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Body(b): Body<Reply>,
) -> ApiResult<Json<Message>> {
    let content = match &b.quick_reply_id {
        Some(id) => app.tools.quick_reply_content(s.agent.waba_id, id).await?,
        None => serde_json::from_value::<Content>(b.content)
            .map_err(|e| Error::bad(format!("invalid message content: {e}")))?,
    };
    Ok(Json(
        app.tools
            .inbox_reply(&s.agent, &chat_id, content, b.reply_to)
            .await?,
    ))
}

pub async fn read(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.tools.inbox_mark_read(&s.agent, &chat_id).await?;
    Ok(Json(json!({"success": true})))
}

pub async fn update(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Body(b): Body<InboxUpdate>,
) -> ApiResult<Json<Value>> {
    let row = app.tools.inbox_update(&s.agent, &chat_id, b).await?;
    Ok(Json(json!({
        "chat_id": row.chat_id.to_string(),
        "state": row.state,
        "assignee_id": row.assignee_id.map(|a| a.to_string()),
    })))
}

/// The inbox's business settings (the reopen rule).
pub async fn settings(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(json!(app.tools.inbox_settings(&s.agent).await?)))
}

/// Change them (admins only).
pub async fn set_settings(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Body(b): Body<InboxSettings>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        app.tools.set_inbox_settings(&s.agent, &b).await?
    )))
}

pub async fn notes(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.notes(&s.agent, &chat_id).await?}),
    ))
}

/// A note's text.
#[derive(Debug, Deserialize)]
pub struct NewNote {
    body: String,
}

pub async fn add_note(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Body(b): Body<NewNote>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        app.tools.add_note(&s.agent, &chat_id, &b.body).await?
    )))
}

async fn set_label(
    app: &Wasla,
    s: &AgentSession,
    (chat_id, label): (String, String),
    target: LabelTarget,
    on: bool,
) -> ApiResult<Json<Value>> {
    app.tools
        .label_customer(&s.agent, &chat_id, target, &label, on)
        .await?;
    Ok(Json(json!({"success": true})))
}

pub async fn label_on(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(p): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_label(&app, &s, p, LabelTarget::Chat, true).await
}

pub async fn label_off(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(p): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_label(&app, &s, p, LabelTarget::Chat, false).await
}

pub async fn contact_label_on(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(p): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_label(&app, &s, p, LabelTarget::Contact, true).await
}

pub async fn contact_label_off(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(p): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    set_label(&app, &s, p, LabelTarget::Contact, false).await
}

/// Failed sends of every number of the agent's WABA, newest first.
pub async fn failed_sends(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.tools.failed_sends_of_waba(&s.agent).await?}),
    ))
}

/// The customer panel: profile, chat and contact labels, state and previous orders with the
/// WABA's numbers.
pub async fn customer(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = app.tools.customer_chat(&s.agent, &chat_id).await?;
    let (labels, contact_labels) = app
        .tools
        .customer_labels(s.agent.waba_id, c.chat.id, c.person.id)
        .await?;
    let inbox = app.tools.inbox_state(c.chat.id).await?;
    let orders = app.tools.customer_orders(&s.agent, &c).await?;
    // The about line as the person shows it to the business number (their privacy settings).
    let profile = app.accounts.profile_for(&c.number, &c.person).await?;
    Ok(Json(json!({
        "wa_id": c.person.wa_id,
        "name": c.person.display_name,
        "about": profile.about,
        "phone_number_id": c.number.id.to_string(),
        "labels": labels,
        "contact_labels": contact_labels,
        "state": inbox.as_ref().map_or("open".to_string(), |i| i.state.clone()),
        "assignee_id": inbox.and_then(|i| i.assignee_id).map(|a| a.to_string()),
        "orders": orders,
    })))
}

pub async fn media(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let (row, bytes) = app.tools.inbox_media(&s.agent, &id).await?;
    Ok(crate::client_api::media::media_response(&row, bytes))
}
