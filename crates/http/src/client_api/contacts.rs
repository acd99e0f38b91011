//! My contacts: the people I have a direct chat with plus the ones on my editable list; adding
//! a registered person to the list by number and taking them off.

use crate::error::ApiResult;
use crate::extract::PersonSession;
use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::Wasla;
use wasla_types::status::{Contact, Contacts};

/// Routes of the contact list in the client API.
pub fn routes() -> Router<Arc<Wasla>> {
    Router::new()
        .route("/client/v1/contacts", get(list))
        .route("/client/v1/contacts/{wa_id}", put(add).delete(remove))
}

/// `GET /client/v1/contacts`.
async fn list(State(app): State<Arc<Wasla>>, me: PersonSession) -> ApiResult<Json<Contacts>> {
    let contacts = app.accounts.contact_views(me.account.id).await?;
    Ok(Json(Contacts { contacts }))
}

/// `PUT /client/v1/contacts/{wa_id}`: put a registered person on my list.
async fn add(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(app.accounts.add_contact(&me.account, &wa_id).await?))
}

/// `DELETE /client/v1/contacts/{wa_id}`: take someone off my list.
async fn remove(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Value>> {
    app.accounts.remove_contact(&me.account, &wa_id).await?;
    Ok(Json(json!({"success": true})))
}
