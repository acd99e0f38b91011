//! An agent's live console stream (`/console/v1/stream`) read as Server-Sent Events, for tests
//! that wait for an item or check that none arrives.

use crate::Agent;
use serde_json::Value;
use std::time::Duration;

/// An open console stream and the items read from it so far.
pub struct ConsoleStream {
    resp: reqwest::Response,
    buf: String,
    seen: Vec<Value>,
}

impl ConsoleStream {
    /// Open the agent's stream; it must be accepted.
    pub async fn open(agent: &Agent) -> ConsoleStream {
        let resp = reqwest::Client::new()
            .get(agent.url("/console/v1/stream"))
            .bearer_auth(&agent.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        ConsoleStream {
            resp,
            buf: String::new(),
            seen: vec![],
        }
    }

    /// Wait (up to 10 s) until an item matching `pred` arrives; `what` names it on failure.
    pub async fn expect(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                for line in block.lines() {
                    if let Some(data) = line.strip_prefix("data: ") {
                        let v: Value = serde_json::from_str(data).unwrap();
                        self.seen.push(v.clone());
                        if pred(&v) {
                            return v;
                        }
                    }
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk())
                .await
                .unwrap_or_else(|_| panic!("no {what}; saw {:?}", self.seen))
                .unwrap()
                .expect("stream open");
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Nothing matching `pred` arrives within a short while.
    pub async fn quiet(&mut self, pred: impl Fn(&Value) -> bool) {
        let _ = tokio::time::timeout(Duration::from_millis(800), self.expect("", &pred))
            .await
            .map(|v| panic!("unexpected {v}"));
    }

    /// Nothing matching `pred` arrived since the stream opened, nor arrives within a short
    /// while.
    pub async fn never(&mut self, pred: impl Fn(&Value) -> bool) {
        if let Some(v) = self.seen.iter().find(|v| pred(v)) {
            panic!("unexpected {v}");
        }
        self.quiet(pred).await;
    }
}
