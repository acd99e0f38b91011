//! Process-wide counters exported at `/metrics` in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Counters and gauges of this node.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Messages committed (all senders).
    pub messages_committed: AtomicU64,
    /// Sends answered with a duplicate (retried `client_id`).
    pub messages_deduplicated: AtomicU64,
    /// Receipt updates applied (delivered and read).
    pub receipt_updates: AtomicU64,
    /// WebSocket connections authenticated since start.
    pub ws_connects: AtomicU64,
    /// WebSocket connections open now.
    pub ws_open: AtomicI64,
    /// TURN allocations made since start.
    pub turn_allocations_total: AtomicU64,
    /// TURN allocations (relay sockets) open now.
    pub turn_allocations: AtomicI64,
}

impl Metrics {
    /// Add one to a counter.
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Render in the Prometheus text format, with `online_accounts` from presence.
    pub fn render(&self, online_accounts: usize) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed).to_string();
        metric(
            "wasla_messages_committed_total",
            "counter",
            "Messages committed.",
            get(&self.messages_committed),
        );
        metric(
            "wasla_messages_deduplicated_total",
            "counter",
            "Sends that repeated a client_id.",
            get(&self.messages_deduplicated),
        );
        metric(
            "wasla_receipt_updates_total",
            "counter",
            "Delivered and read receipt updates applied.",
            get(&self.receipt_updates),
        );
        metric(
            "wasla_ws_connects_total",
            "counter",
            "Authenticated WebSocket connections.",
            get(&self.ws_connects),
        );
        metric(
            "wasla_ws_open",
            "gauge",
            "WebSocket connections open now.",
            self.ws_open.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "wasla_turn_allocations_total",
            "counter",
            "TURN allocations made.",
            get(&self.turn_allocations_total),
        );
        metric(
            "wasla_turn_allocations",
            "gauge",
            "TURN allocations open now.",
            self.turn_allocations.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "wasla_online_accounts",
            "gauge",
            "Accounts with a live WebSocket on this node.",
            online_accounts.to_string(),
        );
        out
    }
}
