//! Acting as a person through the admin API, for demos and tests: registering a person
//! without a verification code, and sending a text as them.

use crate::error::ApiResult;
use crate::extract::{Body, OperatorToken};
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::admin::{NewPerson, PersonText};
use wasla_types::client::{Message, Session};

/// Routes of acting as a person.
pub(super) fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/admin/v1/persons", post(register_person))
        .route("/admin/v1/persons/{wa_id}/messages", post(person_send))
}

async fn register_person(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Body(b): Body<NewPerson>,
) -> ApiResult<Json<Session>> {
    Ok(Json(
        app.accounts
            .admin_register_person(&b.phone, &b.name)
            .await?,
    ))
}

async fn person_send(
    State(app): State<Arc<Wasla>>,
    _: OperatorToken,
    Path(wa_id): Path<String>,
    Body(b): Body<PersonText>,
) -> ApiResult<Json<Message>> {
    Ok(Json(
        app.chats.person_send_text(&wa_id, &b.to, &b.text).await?,
    ))
}
