//! One end-to-end client: the loop that sends on schedule (a window of unacked sends, or a
//! fixed pace), reads the server's frames, counts deliveries and their latency, and answers
//! each delivered message with a receipt when the target is Wasla.

use crate::client::{Frame, Ws};
use crate::schedule::Mode;
use futures::{SinkExt, StreamExt};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// Shared schedule of one run.
pub(crate) struct Plan {
    /// Origin of the microsecond timestamps in message bodies.
    pub(crate) epoch: Instant,
    /// When sending starts.
    pub(crate) start: Instant,
    /// End of the warm-up: the measured window starts here.
    pub(crate) measure_from: Instant,
    /// End of the measured window; no sends after it.
    pub(crate) stop: Instant,
    /// End of the drain: clients stop reading and close.
    pub(crate) deadline: Instant,
    /// How sends are scheduled.
    pub(crate) mode: Mode,
    /// Time between two sends of one client (`rate`).
    pub(crate) period: Duration,
    /// Connections in the run.
    pub(crate) clients: usize,
    /// Unacked sends per client (`saturate`).
    pub(crate) window: usize,
    /// Distinguishes this run's messages from earlier runs' replays.
    pub(crate) run: String,
}

impl Plan {
    /// Microseconds from the epoch to `t`.
    pub(crate) fn us(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.epoch).as_micros() as u64
    }
}

/// One connection's identity.
pub(crate) struct Spec {
    /// Position among all clients.
    pub(crate) idx: usize,
    /// Own wa_id (to skip copies of own messages).
    pub(crate) wa_id: String,
    /// The chat with the peer.
    pub(crate) chat_id: String,
    /// The `hello` frame.
    pub(crate) hello: String,
    /// Loopback source address.
    pub(crate) source: IpAddr,
    /// Answer deliveries with `delivered` receipts (Wasla).
    pub(crate) receipts: bool,
}

/// What one client counted.
#[derive(Default)]
pub(crate) struct Counts {
    /// Sends.
    pub(crate) sent: u64,
    /// Sends intended inside the measured window.
    pub(crate) sent_in_window: u64,
    /// Acks.
    pub(crate) acked: u64,
    /// Acks carrying an error.
    pub(crate) ack_errors: u64,
    /// Error frames and broken connections.
    pub(crate) errors: u64,
    /// Messages from the peer of this run.
    pub(crate) delivered: u64,
    /// Of those, received inside the measured window.
    pub(crate) delivered_in_window: u64,
    /// Status events.
    pub(crate) statuses: u64,
    /// Copies of own messages.
    pub(crate) own_echoes: u64,
    /// Latencies (µs) of messages sent inside the measured window.
    pub(crate) latencies: Vec<u64>,
}

/// Seconds of the delivery timeline (from the start of sending).
const TIMELINE_S: usize = 300;
/// Deliveries per second since the start of sending.
pub(crate) static TIMELINE: [AtomicU64; TIMELINE_S] = [const { AtomicU64::new(0) }; TIMELINE_S];

/// Error frames printed so far (only the first few are).
static REPORTED: AtomicUsize = AtomicUsize::new(0);

/// Print one of the first few problems (later ones are only counted).
pub(crate) fn report(what: &str) {
    if REPORTED.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("e2e: {what}");
    }
}

/// Drive one connection through the plan; returns what it counted.
pub(crate) async fn drive(mut ws: Ws, spec: Spec, plan: Arc<Plan>) -> Counts {
    let mut c = Counts::default();
    let mut stopped = false;
    let mut started = false;
    // Rate mode: this client's sends are spread so that all clients' sends interleave evenly.
    let mut next = plan.start + plan.period.mul_f64(spec.idx as f64 / plan.clients as f64);
    let timer = tokio::time::sleep_until(next.into());
    tokio::pin!(timer);
    let (measure_from, stop) = (plan.us(plan.measure_from), plan.us(plan.stop));
    loop {
        let mut out: Vec<String> = Vec::new();
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    let now = Instant::now();
                    let Ok(frame) = serde_json::from_str::<Frame>(text.as_str()) else {
                        report(&format!("unreadable frame {}", text.as_str()));
                        continue;
                    };
                    match frame.kind {
                        "ack" => {
                            c.acked += 1;
                            if frame.error.is_some() {
                                c.ack_errors += 1;
                                report(&format!("failed ack {}", text.as_str()));
                            }
                            if plan.mode == Mode::Saturate && !stopped && now < plan.stop {
                                out.push(send_frame(&spec, &plan, &mut c, now));
                            }
                        }
                        "event" => match frame.event {
                            Some(ev) if ev.kind == "message" => {
                                let Some(m) = ev.message else { continue };
                                if m.from == spec.wa_id {
                                    c.own_echoes += 1;
                                    continue;
                                }
                                let body = m.text.as_ref().map(|t| t.body.as_ref()).unwrap_or("");
                                let mut parts = body.split(' ');
                                if parts.next() != Some(plan.run.as_str()) {
                                    continue;
                                }
                                let sent_at: u64 = parts.nth(1).and_then(|t| t.parse().ok()).unwrap_or(0);
                                let now_us = plan.us(now);
                                c.delivered += 1;
                                let second = now.saturating_duration_since(plan.start).as_secs() as usize;
                                if let Some(slot) = TIMELINE.get(second) {
                                    slot.fetch_add(1, Ordering::Relaxed);
                                }
                                if now_us >= measure_from && now_us < stop {
                                    c.delivered_in_window += 1;
                                }
                                if sent_at >= measure_from && sent_at < stop {
                                    c.latencies.push(now_us.saturating_sub(sent_at));
                                }
                                if spec.receipts {
                                    let ids = serde_json::to_string(&[m.id.as_ref()]).unwrap_or_default();
                                    out.push(format!(
                                        r#"{{"op":"receipt","chat_id":"{}","status":"delivered","ids":{ids}}}"#,
                                        m.chat_id
                                    ));
                                }
                            }
                            Some(ev) if ev.kind == "status" => c.statuses += 1,
                            _ => {}
                        },
                        "error" => {
                            c.errors += 1;
                            report(&format!("error frame {}", text.as_str()));
                        }
                        _ => {}
                    }
                }
                Some(Ok(Message::Close(_))) | None => {
                    if !stopped {
                        c.errors += 1;
                        report(&format!("client {} closed by the server", spec.idx));
                    }
                    break;
                }
                Some(Err(e)) => {
                    c.errors += 1;
                    report(&format!("client {}: {e}", spec.idx));
                    break;
                }
                Some(Ok(_)) => {}
            },
            () = &mut timer => {
                let now = Instant::now();
                if stopped {
                    break;
                }
                if now >= plan.stop {
                    stopped = true;
                    timer.as_mut().reset(plan.deadline.into());
                    continue;
                }
                match plan.mode {
                    Mode::Saturate if !started => {
                        for _ in 0..plan.window {
                            out.push(send_frame(&spec, &plan, &mut c, now));
                        }
                        timer.as_mut().reset(plan.stop.into());
                    }
                    Mode::Saturate => timer.as_mut().reset(plan.stop.into()),
                    Mode::Rate => {
                        while next <= now && next < plan.stop {
                            out.push(send_frame(&spec, &plan, &mut c, next));
                            next += plan.period;
                        }
                        timer.as_mut().reset(next.min(plan.stop).into());
                    }
                }
                started = true;
            }
        }
        for frame in out {
            if let Err(e) = ws.feed(Message::Text(frame.into())).await {
                c.errors += 1;
                report(&format!("client {} send: {e}", spec.idx));
                return c;
            }
        }
        if let Err(e) = ws.flush().await {
            c.errors += 1;
            report(&format!("client {} flush: {e}", spec.idx));
            return c;
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
    c
}

/// A `send` frame whose body carries the run id, the client and the intended send time.
fn send_frame(spec: &Spec, plan: &Plan, c: &mut Counts, at: Instant) -> String {
    let t = plan.us(at);
    let n = c.sent;
    c.sent += 1;
    if at >= plan.measure_from && at < plan.stop {
        c.sent_in_window += 1;
    }
    let run = &plan.run;
    let idx = spec.idx;
    format!(
        r#"{{"op":"send","ref":"{n}","chat_id":"{chat}","client_id":"{cid}","type":"text","text":{{"body":"{run} {idx} {t}"}}}}"#,
        chat = spec.chat_id,
        cid = client_id(idx, n)
    )
}

/// A UUIDv7-shaped `client_id` as the web client sends: the wall clock's milliseconds first,
/// then the client and its send counter, which keep it unique per sender.
fn client_id(idx: usize, n: u64) -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    format!(
        "{:08x}-{:04x}-7{:03x}-8000-{:012x}",
        (ms >> 16) & 0xffff_ffff,
        ms & 0xffff,
        idx & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::client_id;

    #[test]
    fn client_ids_are_uuidv7_shaped_and_unique_per_send() {
        let a = client_id(1999, 0);
        let b = client_id(1999, 1);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "7");
        assert_ne!(a, b);
        // The clock leads, so a later id sorts after an earlier one of any client.
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(client_id(0, 0) > b);
    }
}
