//! The webhook floor baseline: the axum echo of `echo_api`, plus, for every send it answers,
//! the three status webhooks a Cloud API server owes the business (`sent`, `delivered`,
//! `read`), each rendered in the Cloud API's shape, signed with the app secret and POSTed
//! on its own through a pooled `reqwest` client, as Wasla's delivery worker does. No token,
//! no storage, no WebSocket, no retries beyond "try again": it is the least work any server
//! keeping the contract's one event per POST can do per send, so its throughput bounds what a
//! real server can reach on the same core.

use crate::echo_api::{answer_send, Send};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The app secret the floor signs with; `wasla-bench api --target floor` checks it.
pub const FLOOR_APP_SECRET: &str = "floor-app-secret";

/// Where the floor POSTs its webhooks, and how.
struct Floor {
    client: reqwest::Client,
    hook_url: String,
}

/// Sign `body` as `X-Hub-Signature-256` does: `sha256=` and lowercase hex.
fn signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(FLOOR_APP_SECRET.as_bytes()).expect("any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// One status webhook in the Cloud API's shape (what Wasla sends, field for field).
fn status_payload(phone_number_id: &str, wamid: &str, wa_id: &str, status: &str) -> Vec<u8> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "100200300400",
            "changes": [{
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                        "display_phone_number": "15550001111",
                        "phone_number_id": phone_number_id,
                    },
                    "statuses": [{
                        "id": wamid,
                        "status": status,
                        "timestamp": now.to_string(),
                        "recipient_id": wa_id,
                        "conversation": {
                            "id": format!("conv-{wa_id}"),
                            "origin": {"type": "service"},
                        },
                        "pricing": {
                            "billable": false,
                            "pricing_model": "PMP",
                            "category": "service",
                            "type": "free_customer_service",
                        },
                    }],
                },
                "field": "messages",
            }],
        }],
    });
    serde_json::to_vec(&body).expect("json")
}

/// POST the three statuses of one send, in order, each until it is accepted.
async fn post_statuses(floor: Arc<Floor>, phone_number_id: String, wamid: String, wa_id: String) {
    for status in ["sent", "delivered", "read"] {
        let body = status_payload(&phone_number_id, &wamid, &wa_id, status);
        let sig = signature(&body);
        loop {
            let res = floor
                .client
                .post(&floor.hook_url)
                .header("content-type", "application/json")
                .header("x-hub-signature-256", &sig)
                .body(body.clone())
                .send()
                .await;
            match res {
                Ok(r) if r.status().is_success() => break,
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

async fn send(
    State(floor): State<Arc<Floor>>,
    Path(phone_number_id): Path<String>,
    Json(req): Json<Send>,
) -> Json<Value> {
    let (answer, wamid, wa_id) = answer_send(req);
    tokio::spawn(post_statuses(floor, phone_number_id, wamid, wa_id));
    Json(answer)
}

/// The floor's routes; webhooks go to `hook_url`.
pub fn router(hook_url: String) -> Router {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let floor = Arc::new(Floor { client, hook_url });
    Router::new()
        .route("/v23.0/{phone_number_id}/messages", post(send))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_a_signed_status() {
        let body = status_payload("100", "wamid.X", "1555", "read");
        let v: Value = serde_json::from_slice(&body).unwrap();
        let s = &v["entry"][0]["changes"][0]["value"]["statuses"][0];
        assert_eq!(
            (s["id"].as_str(), s["status"].as_str()),
            (Some("wamid.X"), Some("read"))
        );
        let sig = signature(&body);
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
    }
}
