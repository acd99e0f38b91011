//! The idle-connection baseline: a bare axum WebSocket server with 4 KiB read and write
//! buffers. It answers `hello` with `ready` and `ping` with `pong`, closes connections silent
//! for 75 s (as Wasla does), and keeps no other state per connection.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::time::Duration;

/// The server's routes: the WebSocket at the same path as Wasla's.
pub fn router() -> Router {
    Router::new()
        .route("/client/v1/ws", get(upgrade))
        .route("/healthz", get(|| async { "ok" }))
}

async fn upgrade(ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4 << 10)
        .write_buffer_size(4 << 10)
        .max_message_size(256 << 10)
        .max_frame_size(256 << 10)
        .on_upgrade(connection)
}

async fn connection(mut socket: WebSocket) {
    let first = match tokio::time::timeout(Duration::from_secs(10), socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => t,
        _ => return,
    };
    let Ok(hello) = serde_json::from_str::<Value>(first.as_str()) else {
        return;
    };
    let ready = json!({"type": "ready", "account": {"wa_id": hello["token"]}, "last_seq": 0});
    if socket
        .send(Message::Text(ready.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(75), socket.recv()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.as_str().contains("\"ping\"") => {
                let pong = Message::Text(json!({"type": "pong"}).to_string().into());
                if socket.send(pong).await.is_err() {
                    return;
                }
            }
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) | Err(_) => return,
            Ok(Some(Ok(_))) => {}
        }
    }
}
