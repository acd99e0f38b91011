//! The HTTP side of the Cloud API benchmark: a fixed number of HTTP/1.1 keep-alive connections
//! (hyper's client connection, no pool) sending text sends to `POST /{phone_number_id}/messages`
//! either as fast as answers come back (`saturate`) or at a fixed total rate, each connection
//! pacing its share (`rate`). A request's latency is its round trip, plus, when its
//! connection was still waiting for the previous answer at the request's intended send time,
//! that wait: a stalled server is not hidden (no coordinated omission), while the generator's
//! own lateness (tokio's timer fires up to a millisecond after the intended time) is not
//! charged to the server. Wasla's answers are read for their wamid, which registers the
//! expected `sent` status webhook.

use crate::hooks::{Status, Tracker};
use crate::schedule::Mode;
use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Shared schedule and request shape of one run.
pub struct LoadPlan {
    /// Server address.
    pub addr: SocketAddr,
    /// Request path.
    pub path: String,
    /// `Authorization` header value, if any.
    pub auth: Option<String>,
    /// wa_ids to send to, used round-robin.
    pub recipients: Vec<String>,
    /// When sending starts.
    pub start: Instant,
    /// Start of the measured window.
    pub measure_from: Instant,
    /// End of the measured window; no sends after it.
    pub stop: Instant,
    /// Scheduling mode.
    pub mode: Mode,
    /// Time between two sends of one connection (`rate`).
    pub period: Duration,
    /// Connections in the run.
    pub connections: usize,
    /// Read wamids from the answers and expect status webhooks (Wasla, the floor).
    pub tracker: Option<Arc<Tracker>>,
    /// The statuses an answered send owes at once (`sent`; all three for the floor).
    pub owed_on_answer: &'static [Status],
}

/// What one connection counted.
#[derive(Default)]
pub struct ConnCounts {
    /// Requests written.
    pub sent: u64,
    /// 2xx answers.
    pub ok: u64,
    /// 2xx answers that came back inside the measured window.
    pub ok_in_window: u64,
    /// Non-2xx answers and connection failures.
    pub errors: u64,
    /// Latencies (µs, from the intended send time) of requests intended in the window.
    pub latencies: Vec<u64>,
}

/// Problems printed so far (only the first few are).
static REPORTED: AtomicUsize = AtomicUsize::new(0);

fn report(what: &str) {
    if REPORTED.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("api: {what}");
    }
}

#[derive(Deserialize)]
struct SendAnswer {
    messages: Vec<MessageId>,
}

#[derive(Deserialize)]
struct MessageId {
    id: String,
}

async fn open(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .with_context(|| format!("connect {addr}"))?;
    stream.set_nodelay(true)?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// Drive connection `idx` through the plan.
pub async fn drive(idx: usize, plan: Arc<LoadPlan>) -> ConnCounts {
    let mut c = ConnCounts::default();
    let mut sender: Option<SendRequest<Full<Bytes>>> = None;
    let host = plan.addr.to_string();
    let mut next = plan.start + plan.period.mul_f64(idx as f64 / plan.connections as f64);
    tokio::time::sleep_until(plan.start.into()).await;
    let mut n = 0usize;
    // When this connection's previous answer arrived.
    let mut free_since = plan.start;
    loop {
        let intended = match plan.mode {
            Mode::Saturate => Instant::now(),
            Mode::Rate => {
                tokio::time::sleep_until(next.into()).await;
                let at = next;
                next += plan.period;
                at
            }
        };
        if intended >= plan.stop {
            break;
        }
        let started = Instant::now();
        // Time the request waited at the server's cost: its connection was still busy with
        // the previous request at the intended time.
        let held_up = free_since.saturating_duration_since(intended);
        if sender.is_none() {
            match open(plan.addr).await {
                Ok(s) => sender = Some(s),
                Err(e) => {
                    c.errors += 1;
                    report(&format!("connection {idx}: {e:#}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            }
        }
        let Some(s) = sender.as_mut() else { continue };
        let to = &plan.recipients[(idx + n * plan.connections) % plan.recipients.len()];
        let body = format!(
            r#"{{"messaging_product":"whatsapp","recipient_type":"individual","to":"{to}","type":"text","text":{{"body":"bench {idx} {n}"}}}}"#
        );
        n += 1;
        let mut req = Request::post(plan.path.as_str())
            .header(HOST, host.as_str())
            .header(CONTENT_TYPE, "application/json");
        if let Some(auth) = &plan.auth {
            req = req.header(AUTHORIZATION, auth.as_str());
        }
        let Ok(req) = req.body(Full::new(Bytes::from(body))) else {
            c.errors += 1;
            continue;
        };
        c.sent += 1;
        let answer = async {
            s.ready().await?;
            let res = s.send_request(req).await?;
            let status = res.status();
            let bytes = res.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>((status, bytes))
        };
        let (status, bytes) = match answer.await {
            Ok(a) => a,
            Err(e) => {
                c.errors += 1;
                report(&format!("connection {idx}: {e}"));
                sender = None;
                free_since = Instant::now();
                continue;
            }
        };
        let done = Instant::now();
        free_since = done;
        if !status.is_success() {
            c.errors += 1;
            report(&format!("{status}: {}", String::from_utf8_lossy(&bytes)));
            continue;
        }
        c.ok += 1;
        if done >= plan.measure_from && done < plan.stop {
            c.ok_in_window += 1;
        }
        let measured = intended >= plan.measure_from && intended < plan.stop;
        if measured {
            let latency = done.saturating_duration_since(started) + held_up;
            c.latencies.push(latency.as_micros() as u64);
        }
        if let Some(tracker) = &plan.tracker {
            match serde_json::from_slice::<SendAnswer>(&bytes) {
                Ok(a) if !a.messages.is_empty() => {
                    for status in plan.owed_on_answer {
                        tracker.expect(&a.messages[0].id, *status, done, measured);
                    }
                }
                _ => {
                    c.errors += 1;
                    report(&format!("no wamid in {}", String::from_utf8_lossy(&bytes)));
                }
            }
        }
    }
    c
}
