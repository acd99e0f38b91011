//! The bare axum baseline for Cloud API sends: `POST /v23.0/{phone_number_id}/messages`
//! parses the same JSON body Wasla parses and answers with the send response shape
//! (`messaging_product`, `contacts`, `messages`) without checking a token or storing
//! anything. The gap between it and Wasla is the cost of the send itself.

use axum::extract::Path;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Message ids handed out so far (to make each answer distinct, as Wasla's are).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The fields of a text send the baseline reads.
#[derive(Debug, Deserialize)]
pub struct Send {
    messaging_product: String,
    to: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<Text>,
}

#[derive(Debug, Deserialize)]
struct Text {
    body: String,
}

/// The send response for `req`, with the wamid and wa_id it hands out.
pub fn answer_send(req: Send) -> (Value, String, String) {
    debug_assert_eq!(req.messaging_product, "whatsapp");
    let _ = (req.kind, req.text.map(|t| t.body));
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let wa_id: String = req.to.chars().filter(char::is_ascii_digit).collect();
    let wamid = format!("wamid.ECHO{n:016X}");
    let answer = json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": req.to, "wa_id": wa_id}],
        "messages": [{"id": wamid}],
    });
    (answer, wamid, wa_id)
}

async fn send(Path(_phone_number_id): Path<String>, Json(req): Json<Send>) -> Json<Value> {
    Json(answer_send(req).0)
}

/// The baseline's routes (`/healthz` too, so the scripts can wait for it).
pub fn router() -> Router {
    Router::new()
        .route("/v23.0/{phone_number_id}/messages", post(send))
        .route("/healthz", get(|| async { "ok" }))
}
