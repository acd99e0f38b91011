//! The people of the Cloud API benchmark: one WebSocket client per person, connected for the
//! whole run, answering every message from the business with a `delivered` receipt and then a
//! `read` up to that message, as a phone would. Each ack registers the status the business
//! should then receive as a webhook, caused at the moment the ack was written.

use crate::client::{self, Frame, Target};
use crate::hooks::{Status, Tracker};
use crate::setup::Person;
use anyhow::{Context, Result};
use futures::{stream, SinkExt, StreamExt};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// What all people counted.
#[derive(Default)]
pub struct PeopleCounts {
    /// Messages from the business received.
    pub messages: AtomicU64,
    /// Error frames, failed acks and broken connections.
    pub errors: AtomicU64,
}

/// The measured window, so acks inside it count for latency.
#[derive(Clone, Copy)]
pub struct Window {
    /// Start of the measured window.
    pub from: Instant,
    /// End of the measured window.
    pub to: Instant,
}

impl Window {
    /// Whether `t` falls inside.
    pub fn contains(&self, t: Instant) -> bool {
        t >= self.from && t < self.to
    }
}

/// Connect every person (from `source`) and spawn their loops; they run until `stop` is set.
pub async fn connect(
    target: &Target,
    source: IpAddr,
    people: &[Person],
    tracker: Arc<Tracker>,
    window: Window,
    counts: Arc<PeopleCounts>,
    stop: Arc<AtomicBool>,
) -> Result<()> {
    let opened: Vec<Result<client::Ws>> = stream::iter(people)
        .map(|p| async move {
            let hello = client::hello_frame(&p.token, (1 << 53) - 1);
            let (ws, _) = client::open(target, source, hello)
                .await
                .with_context(|| format!("person {}", p.wa_id))?;
            Ok(ws)
        })
        .buffer_unordered(32)
        .collect()
        .await;
    for (ws, person) in opened.into_iter().zip(people) {
        let (ws, wa_id) = (ws?, person.wa_id.clone());
        let (tracker, counts, stop) = (tracker.clone(), counts.clone(), stop.clone());
        tokio::spawn(async move { person_loop(ws, wa_id, tracker, window, counts, stop).await });
    }
    Ok(())
}

async fn person_loop(
    mut ws: client::Ws,
    wa_id: String,
    tracker: Arc<Tracker>,
    window: Window,
    counts: Arc<PeopleCounts>,
    stop: Arc<AtomicBool>,
) {
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(200));
    loop {
        let msg = tokio::select! {
            m = ws.next() => m,
            _ = ticker.tick() => {
                if stop.load(Ordering::Relaxed) { break; }
                continue;
            }
        };
        let text = match msg {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(_)) => continue,
            _ => {
                if !stop.load(Ordering::Relaxed) {
                    counts.errors.fetch_add(1, Ordering::Relaxed);
                }
                return;
            }
        };
        let Ok(frame) = serde_json::from_str::<Frame>(text.as_str()) else {
            continue;
        };
        if frame.kind == "error" || (frame.kind == "ack" && frame.error.is_some()) {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let Some(m) = frame
            .event
            .filter(|e| e.kind == "message")
            .and_then(|e| e.message)
        else {
            continue;
        };
        if m.from == wa_id {
            continue;
        }
        counts.messages.fetch_add(1, Ordering::Relaxed);
        let ids = serde_json::to_string(&[m.id.as_ref()]).unwrap_or_default();
        let delivered = format!(
            r#"{{"op":"receipt","chat_id":"{}","status":"delivered","ids":{ids}}}"#,
            m.chat_id
        );
        let read = format!(
            r#"{{"op":"read","chat_id":"{}","up_to_seq":{}}}"#,
            m.chat_id, m.seq
        );
        let now = Instant::now();
        let measured = window.contains(now);
        tracker.expect(&m.id, Status::Delivered, now, measured);
        tracker.expect(&m.id, Status::Read, now, measured);
        let sent = async {
            ws.feed(Message::Text(delivered.into())).await?;
            ws.feed(Message::Text(read.into())).await?;
            ws.flush().await
        };
        if sent.await.is_err() {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            return;
        }
    }
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), ws.close(None)).await;
}
