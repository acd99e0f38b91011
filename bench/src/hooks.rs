//! The webhook side of the Cloud API benchmark: an axum receiver that answers the verification
//! handshake, checks `X-Hub-Signature-256` against the app secret and reads the one status (or
//! message) each POST carries, and the tracker that matches every status Wasla should send
//! (`sent` when a send was answered, `delivered`/`read` when a person acked) with its arrival,
//! giving event-to-POST latency, duplicates, losses and the backlog (expected, not yet here).
//! The receiver can be told to answer 500 to simulate an outage.

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::serve::ListenerExt;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A status Wasla reports to the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The send was committed.
    Sent,
    /// The person's device has it.
    Delivered,
    /// The person read it.
    Read,
}

impl Status {
    fn parse(s: &str) -> Option<Status> {
        match s {
            "sent" => Some(Status::Sent),
            "delivered" => Some(Status::Delivered),
            "read" => Some(Status::Read),
            _ => None,
        }
    }
}

/// One expected status: when its cause happened and when its POST arrived.
#[derive(Default)]
struct Slot {
    expected_at: Option<Instant>,
    arrived_at: Option<Instant>,
    measured: bool,
}

/// Counters and samples under the tracker's lock.
#[derive(Default)]
struct Book {
    slots: HashMap<(Box<str>, Status), Slot>,
    expected: u64,
    matched: u64,
    duplicates: u64,
    /// Expected `delivered` statuses not here whose `read` is (Wasla moves a receipt only
    /// forward, so a read committed first leaves no `delivered` to report).
    superseded: u64,
    /// Event-to-POST latencies (µs) of statuses whose cause fell in the measured window.
    latencies: Vec<u64>,
}

/// Shared state of the receiver and the load generator.
pub struct Tracker {
    verify_token: String,
    secret: Mutex<Option<String>>,
    book: Mutex<Book>,
    /// Answer 500 to every POST while set.
    pub failing: AtomicBool,
    /// POSTs answered 500 on purpose.
    pub refused: AtomicU64,
    /// POSTs with a bad signature or an unreadable body.
    pub rejected: AtomicU64,
    /// Inbound `messages` webhooks accepted.
    pub messages: AtomicU64,
    /// `failed` statuses accepted.
    pub failed: AtomicU64,
    /// Status POSTs accepted (duplicates included).
    pub statuses: AtomicU64,
}

/// What the tracker counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Statuses expected so far.
    pub expected: u64,
    /// Expected statuses that have arrived.
    pub matched: u64,
    /// Statuses that arrived more than once.
    pub duplicates: u64,
    /// Expected `delivered` statuses not here whose `read` is.
    pub superseded: u64,
}

impl Counts {
    /// Expected statuses not here yet (superseded ones excluded).
    pub fn backlog(&self) -> u64 {
        self.expected
            .saturating_sub(self.matched)
            .saturating_sub(self.superseded)
    }
}

impl Book {
    /// Keep the superseded count right after a change to `wamid`'s slots.
    fn track_superseded(&mut self, wamid: &str, before: bool) {
        match (before, self.is_superseded(wamid)) {
            (false, true) => self.superseded += 1,
            (true, false) => self.superseded -= 1,
            _ => {}
        }
    }

    fn slot(&self, wamid: &str, status: Status) -> Option<&Slot> {
        self.slots.get(&(Box::from(wamid), status))
    }

    /// Whether `delivered` of `wamid` is expected, missing, and its `read` is here.
    fn is_superseded(&self, wamid: &str) -> bool {
        let delivered = self
            .slot(wamid, Status::Delivered)
            .is_some_and(|d| d.expected_at.is_some() && d.arrived_at.is_none());
        delivered
            && self
                .slot(wamid, Status::Read)
                .is_some_and(|r| r.arrived_at.is_some())
    }
}

impl Tracker {
    /// A tracker whose handshake expects `verify_token`; without a secret, signatures are not
    /// checked (setup learns the secret only after the handshake).
    pub fn new(verify_token: &str, secret: Option<String>) -> Arc<Tracker> {
        Arc::new(Tracker {
            verify_token: verify_token.into(),
            secret: Mutex::new(secret),
            book: Mutex::default(),
            failing: AtomicBool::new(false),
            refused: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            messages: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            statuses: AtomicU64::new(0),
        })
    }

    /// Check signatures with `secret` from now on.
    pub fn set_secret(&self, secret: &str) {
        *self.secret.lock().expect("lock") = Some(secret.into());
    }

    /// Wasla should report `status` of `wamid`, caused at `at`.
    pub fn expect(&self, wamid: &str, status: Status, at: Instant, measured: bool) {
        let mut book = self.book.lock().expect("lock");
        let before = book.is_superseded(wamid);
        book.expected += 1;
        let slot = book.slots.entry((wamid.into(), status)).or_default();
        slot.expected_at = Some(at);
        slot.measured = measured;
        if let Some(arrived) = slot.arrived_at {
            // The POST beat the cause's bookkeeping (e.g. `sent` before the 200 was read).
            let us = arrived.saturating_duration_since(at).as_micros() as u64;
            book.matched += 1;
            if measured {
                book.latencies.push(us);
            }
        }
        book.track_superseded(wamid, before);
    }

    fn arrived(&self, wamid: &str, status: Status, at: Instant) {
        let mut book = self.book.lock().expect("lock");
        let before = book.is_superseded(wamid);
        let slot = book.slots.entry((wamid.into(), status)).or_default();
        if slot.arrived_at.is_some() {
            book.duplicates += 1;
            return;
        }
        slot.arrived_at = Some(at);
        if let Some(cause) = slot.expected_at {
            let (measured, us) = (
                slot.measured,
                at.saturating_duration_since(cause).as_micros() as u64,
            );
            book.matched += 1;
            if measured {
                book.latencies.push(us);
            }
        }
        book.track_superseded(wamid, before);
    }

    /// The counters now.
    pub fn counts(&self) -> Counts {
        let book = self.book.lock().expect("lock");
        Counts {
            expected: book.expected,
            matched: book.matched,
            duplicates: book.duplicates,
            superseded: book.superseded,
        }
    }

    /// Take the measured event-to-POST latencies (µs).
    pub fn take_latencies(&self) -> Vec<u64> {
        std::mem::take(&mut self.book.lock().expect("lock").latencies)
    }

    /// Expected statuses that never arrived, by status (sent, delivered, read); a
    /// `delivered` whose `read` arrived is superseded, not lost.
    pub fn lost(&self) -> [u64; 3] {
        let book = self.book.lock().expect("lock");
        let mut out = [0; 3];
        for ((wamid, status), slot) in &book.slots {
            if slot.expected_at.is_some()
                && slot.arrived_at.is_none()
                && !(*status == Status::Delivered && book.is_superseded(wamid))
            {
                out[*status as usize] += 1;
            }
        }
        out
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> bool {
        let Some(secret) = self.secret.lock().expect("lock").clone() else {
            return true;
        };
        let Some(hex_sig) = headers
            .get("x-hub-signature-256")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("sha256="))
        else {
            return false;
        };
        let Ok(sig) = hex::decode(hex_sig) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(body);
        mac.verify_slice(&sig).is_ok()
    }
}

/// The parts of a webhook payload the receiver reads.
#[derive(Deserialize)]
struct Payload {
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    value: Value,
}

#[derive(Deserialize)]
struct Value {
    #[serde(default)]
    statuses: Vec<StatusView>,
    #[serde(default)]
    messages: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct StatusView {
    id: String,
    status: String,
}

async fn handshake(
    State(t): State<Arc<Tracker>>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, String) {
    let ok = q.get("hub.mode").map(String::as_str) == Some("subscribe")
        && q.get("hub.verify_token") == Some(&t.verify_token);
    match (ok, q.get("hub.challenge")) {
        (true, Some(c)) => (StatusCode::OK, c.clone()),
        _ => (StatusCode::FORBIDDEN, "bad verify token".into()),
    }
}

async fn receive(State(t): State<Arc<Tracker>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let now = Instant::now();
    if t.failing.load(Ordering::Relaxed) {
        t.refused.fetch_add(1, Ordering::Relaxed);
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    if !t.verify(&headers, &body) {
        t.rejected.fetch_add(1, Ordering::Relaxed);
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(payload) = serde_json::from_slice::<Payload>(&body) else {
        t.rejected.fetch_add(1, Ordering::Relaxed);
        return StatusCode::BAD_REQUEST;
    };
    for change in payload.entry.iter().flat_map(|e| &e.changes) {
        t.messages
            .fetch_add(change.value.messages.len() as u64, Ordering::Relaxed);
        for s in &change.value.statuses {
            t.statuses.fetch_add(1, Ordering::Relaxed);
            match Status::parse(&s.status) {
                Some(status) => t.arrived(&s.id, status, now),
                None => {
                    t.failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    StatusCode::OK
}

/// Start the receiver on `listen` (path `/hook`); it runs until the process ends.
pub async fn start(listen: SocketAddr, tracker: Arc<Tracker>) -> Result<()> {
    anyhow::ensure!(
        listen.ip().is_loopback(),
        "the webhook receiver listens on the loopback network only"
    );
    let router = axum::Router::new()
        .route("/hook", get(handshake).post(receive))
        .with_state(tracker);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("webhook receiver: listen on {listen}"))?;
    let listener = listener.tap_io(crate::no_delay);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn matches_statuses_in_either_order() {
        let t = Tracker::new("v", None);
        let at = Instant::now();
        t.expect("w1", Status::Sent, at, true);
        assert_eq!(t.counts().backlog(), 1);
        t.arrived("w1", Status::Sent, at + Duration::from_millis(3));
        // A POST may beat the generator's own bookkeeping of its cause.
        t.arrived("w2", Status::Sent, at);
        t.expect("w2", Status::Sent, at + Duration::from_millis(1), true);
        t.arrived("w1", Status::Sent, at);
        let c = t.counts();
        assert_eq!(
            (c.expected, c.matched, c.duplicates, c.backlog()),
            (2, 2, 1, 0)
        );
        assert_eq!(t.take_latencies().len(), 2);
        assert_eq!(t.lost(), [0, 0, 0]);
    }

    #[test]
    fn a_read_supersedes_a_missing_delivered() {
        let t = Tracker::new("v", None);
        let at = Instant::now();
        t.expect("w", Status::Delivered, at, false);
        t.expect("w", Status::Read, at, false);
        assert_eq!(t.counts().backlog(), 2);
        t.arrived("w", Status::Read, at);
        assert_eq!((t.counts().backlog(), t.counts().superseded), (0, 1));
        assert_eq!(t.lost(), [0, 0, 0]);
        // The delivered POST may still come (deliveries run concurrently).
        t.arrived("w", Status::Delivered, at);
        assert_eq!((t.counts().backlog(), t.counts().superseded), (0, 0));
        t.expect("x", Status::Read, at, false);
        assert_eq!(t.lost(), [0, 0, 1]);
    }
}
