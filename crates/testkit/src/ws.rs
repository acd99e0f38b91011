//! A WebSocket device for tests. It checks the protocol's promise on every frame: event seqs
//! arrive in order, each exactly once, with no gaps.

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One connected device.
pub struct Ws {
    stream: Stream,
    /// Highest event seq received.
    pub last_seq: i64,
    /// The `ready` frame.
    pub ready: Value,
    /// Every event received, in order.
    pub events: Vec<Value>,
}

impl Ws {
    /// Connect and authenticate; returns after the `ready` frame.
    pub async fn connect(url: &str, token: &str, after: i64) -> Ws {
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket connect");
        let mut ws = Ws {
            stream,
            last_seq: after,
            ready: Value::Null,
            events: vec![],
        };
        ws.send(json!({"op": "hello", "token": token, "after": after}))
            .await;
        let ready = ws
            .next_frame(Duration::from_secs(5))
            .await
            .expect("ready frame");
        assert_eq!(ready["type"], "ready", "expected ready, got {ready}");
        ws.ready = ready;
        ws
    }

    /// Connect with a raw first frame and return the first answer (for auth failure tests).
    pub async fn raw_hello(url: &str, first: Value) -> Option<Value> {
        let (mut stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket connect");
        stream
            .send(Message::Text(first.to_string().into()))
            .await
            .ok()?;
        match tokio::time::timeout(Duration::from_secs(5), stream.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str(t.as_str()).ok(),
            _ => None,
        }
    }

    /// Send a frame.
    pub async fn send(&mut self, v: Value) {
        self.stream
            .send(Message::Text(v.to_string().into()))
            .await
            .expect("ws send");
    }

    /// The next frame within `timeout` (events are checked and recorded).
    pub async fn next_frame(&mut self, timeout: Duration) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(timeout, self.stream.next())
                .await
                .ok()??
                .ok()?;
            if let Message::Text(t) = msg {
                let v: Value = serde_json::from_str(t.as_str()).expect("json frame");
                if v["type"] == "event" {
                    let seq = v["seq"].as_i64().expect("seq");
                    assert_eq!(
                        seq,
                        self.last_seq + 1,
                        "event seqs must have no gaps or repeats: {v}"
                    );
                    self.last_seq = seq;
                    self.events.push(v["event"].clone());
                }
                return Some(v);
            }
        }
    }

    /// Read until a frame matches, within 5 s; panics otherwise.
    pub async fn expect(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_frame(left).await {
                Some(v) if pred(&v) => return v,
                Some(_) => continue,
                None => panic!("timed out waiting for {what}"),
            }
        }
    }

    /// The next event of a kind (e.g. `message`), within 5 s.
    pub async fn expect_event(&mut self, kind: &str) -> Value {
        let f = self
            .expect(&format!("a {kind} event"), |v| {
                v["type"] == "event" && v["event"]["kind"] == kind
            })
            .await;
        f["event"].clone()
    }

    /// Frames arriving within `ms` (to check that nothing more comes).
    pub async fn drain(&mut self, ms: u64) -> Vec<Value> {
        let mut out = vec![];
        while let Some(v) = self.next_frame(Duration::from_millis(ms)).await {
            out.push(v);
        }
        out
    }

    /// Wait up to 5 s for the server to close the connection; returns the close code.
    pub async fn closed_by_server(&mut self) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(deadline, self.stream.next()).await {
            if let Message::Close(frame) = msg {
                return frame.map(|f| f.code.into());
            }
        }
        None
    }

    /// Close the connection.
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
