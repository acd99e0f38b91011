//! The end-to-end baseline: a bare axum WebSocket relay that speaks the same frames as Wasla's
//! gateway for 1:1 text messages, with no storage, no receipts and no event streams. A client
//! says `{"op":"hello","token":<wa_id>,"chat_id":<chat>}`; a `send` into a chat is forwarded to
//! the chat's other connected member as a Wasla-shaped `event` and acknowledged to the sender
//! with a Wasla-shaped `ack`.

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Same frame limit as Wasla's gateway.
const MAX_FRAME: usize = 256 << 10;

/// One connected member of a chat.
struct Member {
    wa_id: String,
    tx: mpsc::UnboundedSender<Utf8Bytes>,
    /// The member's event stream position.
    seq: AtomicI64,
}

#[derive(Default)]
struct Relay {
    chats: Mutex<HashMap<String, Vec<Arc<Member>>>>,
    next_id: AtomicI64,
}

impl Relay {
    fn join(&self, chat: &str, m: Arc<Member>) {
        let mut chats = self.chats.lock().expect("relay lock");
        chats.entry(chat.to_string()).or_default().push(m);
    }

    fn leave(&self, chat: &str, m: &Arc<Member>) {
        let mut chats = self.chats.lock().expect("relay lock");
        if let Some(v) = chats.get_mut(chat) {
            v.retain(|x| !Arc::ptr_eq(x, m));
        }
    }

    fn peer(&self, chat: &str, me: &Arc<Member>) -> Option<Arc<Member>> {
        let chats = self.chats.lock().expect("relay lock");
        chats
            .get(chat)?
            .iter()
            .find(|x| !Arc::ptr_eq(x, me))
            .cloned()
    }
}

/// The relay's routes: the WebSocket at the same path as Wasla's.
pub fn router() -> Router {
    Router::new()
        .route("/client/v1/ws", get(upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(Arc::new(Relay::default()))
}

async fn upgrade(State(relay): State<Arc<Relay>>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4 << 10)
        .write_buffer_size(4 << 10)
        .max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .on_upgrade(move |socket| connection(relay, socket))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn text(v: &Value) -> Utf8Bytes {
    v.to_string().into()
}

async fn connection(relay: Arc<Relay>, mut socket: WebSocket) {
    let first = match tokio::time::timeout(Duration::from_secs(10), socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => t,
        _ => return,
    };
    let Ok(hello) = serde_json::from_str::<Value>(first.as_str()) else {
        return;
    };
    let wa_id = hello["token"].as_str().unwrap_or_default().to_string();
    let chat = hello["chat_id"].as_str().unwrap_or_default().to_string();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let me = Arc::new(Member {
        wa_id,
        tx,
        seq: AtomicI64::new(0),
    });
    relay.join(&chat, me.clone());
    let ready = json!({"type": "ready", "account": {"wa_id": me.wa_id}, "last_seq": 0});
    if socket.send(Message::Text(text(&ready))).await.is_ok() {
        serve(&relay, &me, &mut socket, &mut rx).await;
    }
    relay.leave(&chat, &me);
}

async fn serve(
    relay: &Relay,
    me: &Arc<Member>,
    socket: &mut WebSocket,
    rx: &mut mpsc::UnboundedReceiver<Utf8Bytes>,
) {
    loop {
        tokio::select! {
            frame = tokio::time::timeout(Duration::from_secs(75), socket.recv()) => {
                let reply = match frame {
                    Ok(Some(Ok(Message::Text(t)))) => on_frame(relay, me, t.as_str()),
                    Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) | Err(_) => return,
                    Ok(Some(Ok(_))) => None,
                };
                if let Some(reply) = reply {
                    if socket.send(Message::Text(reply)).await.is_err() {
                        return;
                    }
                }
            }
            Some(out) = rx.recv() => {
                if socket.send(Message::Text(out)).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Handle one client frame; returns the reply to this connection, if any.
fn on_frame(relay: &Relay, me: &Arc<Member>, frame: &str) -> Option<Utf8Bytes> {
    let v: Value = serde_json::from_str(frame).ok()?;
    match v["op"].as_str()? {
        "send" => Some(on_send(relay, me, &v)),
        "ping" => Some(text(&json!({"type": "pong"}))),
        _ => None,
    }
}

fn on_send(relay: &Relay, me: &Arc<Member>, v: &Value) -> Utf8Bytes {
    let chat = v["chat_id"].as_str().unwrap_or_default();
    let reference = v["ref"].clone();
    let Some(peer) = relay.peer(chat, me) else {
        let error = json!({"code": "not_found", "message": "chat not found"});
        return text(&json!({"type": "ack", "ref": reference, "error": error}));
    };
    let n = relay.next_id.fetch_add(1, Ordering::Relaxed) + 1;
    let mut message = json!({
        "id": format!("wamid.R{n:011}"),
        "chat_id": chat,
        "seq": n,
        "from": me.wa_id,
        "timestamp": now_ms(),
        "type": "text",
        "text": v["text"].clone(),
        "forwarded": false,
        "client_id": v["client_id"].clone(),
    });
    let seq = peer.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let event = json!({"type": "event", "seq": seq, "event": {"kind": "message", "message": message.clone()}});
    let _ = peer.tx.send(text(&event));
    message["status"] = json!("sent");
    text(&json!({"type": "ack", "ref": reference, "message": message}))
}
