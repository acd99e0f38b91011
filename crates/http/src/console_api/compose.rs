//! Console handlers of the agent's composer: what a chat's composer may offer (window,
//! templates, payment providers), attachments uploaded as the business number, templates,
//! payment requests built from a cart or picked products, and the customer carts the Orders
//! page lists. Every handler is scoped to the agent's WABA.

use crate::client_api::media::read_file_part;
use crate::error::ApiResult;
use crate::extract::{AgentSession, Body};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::{Error, Wasla};
use wasla_types::client::Message;
use wasla_types::compose::{ComposeInfo, PaymentRequest};
use wasla_types::interactive::TemplateMessage;

/// The largest attachment body read (documents, the largest media kind, plus form overhead);
/// the configured upload limit and each kind's own limit are checked after.
const UPLOAD_BODY_LIMIT: usize = (100 << 20) + (64 << 10);

/// Routes of the composer.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/console/v1/chats/{chat_id}/compose", get(info))
        .route(
            "/console/v1/chats/{chat_id}/media",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/console/v1/chats/{chat_id}/template", post(template))
        .route(
            "/console/v1/chats/{chat_id}/payment-request",
            post(payment_request),
        )
        .route("/console/v1/carts", get(carts))
}

/// The window, the approved templates and the payment providers of a chat's composer.
async fn info(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
) -> ApiResult<Json<ComposeInfo>> {
    let mut info = app.tools.compose_info(&s.agent, &chat_id).await?;
    info.providers = app.commerce.payment_providers();
    Ok(Json(info))
}

/// A multipart `file` uploaded as the chat's business number: `{"id": …}`.
async fn upload(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    req: Request,
) -> ApiResult<Json<Value>> {
    // The chat is checked before the body is read.
    app.tools.customer_chat(&s.agent, &chat_id).await?;
    let form = Multipart::from_request(req, &app)
        .await
        .map_err(|e| Error::bad(format!("send a multipart form with a 'file' part: {e}")))?;
    let file = read_file_part(form).await?;
    Ok(Json(
        app.tools
            .compose_upload(
                &s.agent,
                &chat_id,
                &file.bytes,
                file.content_type.as_deref(),
                file.filename.as_deref(),
            )
            .await?,
    ))
}

/// An approved template, with its parameters, sent to the customer.
async fn template(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Body(b): Body<TemplateMessage>,
) -> ApiResult<Json<Message>> {
    Ok(Json(
        app.tools.compose_template(&s.agent, &chat_id, b).await?,
    ))
}

/// An `order_details` message built from a cart or picked products and sent to the customer.
async fn payment_request(
    State(app): State<Arc<Wasla>>,
    s: AgentSession,
    Path(chat_id): Path<String>,
    Body(b): Body<PaymentRequest>,
) -> ApiResult<Json<Message>> {
    let c = app.tools.customer_chat(&s.agent, &chat_id).await?;
    let content = app
        .commerce
        .payment_request(&c.number, &c.person, c.chat.id, &b)
        .await?;
    Ok(Json(
        app.tools
            .inbox_reply(&s.agent, &chat_id, content, None)
            .await?,
    ))
}

/// The carts customers sent to the WABA's numbers, newest first.
async fn carts(State(app): State<Arc<Wasla>>, s: AgentSession) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"data": app.commerce.console_carts(s.agent.waba_id).await?}),
    ))
}
