//! Shopping for the web client: a business's shop (`/client/v1/shops/{wa_id}`), the order of
//! an `order_details` message and paying it, and the signed callback of the hosted payment
//! page (`/payments/callback`).

use crate::error::ApiResult;
use crate::extract::{Body, PersonSession};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use wasla_core::commerce::{OrderView, Shop};
use wasla_core::Wasla;
use wasla_types::commerce::PaymentView;

#[derive(Deserialize, Default)]
pub struct PayBody {
    /// The card number (sandbox provider).
    #[serde(default)]
    card_number: Option<String>,
}

pub async fn shop(
    State(app): State<Arc<Wasla>>,
    _me: PersonSession,
    Path(wa_id): Path<String>,
) -> ApiResult<Json<Shop>> {
    Ok(Json(app.commerce.shop(&wa_id).await?))
}

pub async fn order(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path((chat_id, id)): Path<(String, String)>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        app.commerce.order_view(&me.account, &chat_id, &id).await?,
    ))
}

pub async fn pay(
    State(app): State<Arc<Wasla>>,
    me: PersonSession,
    Path((chat_id, id)): Path<(String, String)>,
    Body(body): Body<PayBody>,
) -> ApiResult<Json<PaymentView>> {
    Ok(Json(
        app.commerce
            .pay(&me.account, &chat_id, &id, body.card_number.as_deref())
            .await?,
    ))
}

pub async fn payment_callback(
    State(app): State<Arc<Wasla>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let signature = headers
        .get("x-wasla-signature")
        .and_then(|v| v.to_str().ok());
    let changed = app.commerce.payment_link_callback(&body, signature).await?;
    Ok(Json(json!({"success": true, "changed": changed})))
}
