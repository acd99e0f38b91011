//! Keeps one app's slow or unreachable receiver from holding up every other app's webhooks.
//! A delivery round waits up to a second for its POSTs and the node runs only a few rounds at
//! once, so a receiver that stops answering (each POST waiting out the timeout) would
//! otherwise take the rounds' places from every tenant. So after a POST that timed out or
//! could not connect, this node pauses the app for a backoff that grows with each such
//! failure in a row, and while it is paused the app's due deliveries are put back for later
//! without an attempt. After a pause one POST at a time probes the receiver; an answer (any
//! HTTP status) ends the pauses. An app with a POST in flight for longer than [`SLOW`] gets no
//! other until that one ends, so a receiver that has just stopped answering does not take
//! more of the rounds' places while its first POSTs wait for their timeout. A healthy app,
//! however busy, is never held back.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// First pause after a timeout or connection failure; it doubles with each one in a row.
const BASE_PAUSE_MS: i64 = 2_000;
/// Longest pause.
const MAX_PAUSE_MS: i64 = 60_000;
/// How long a delivery waits when its slow or failing app already has a POST in flight.
const BUSY_DELAY_MS: i64 = 500;
/// A POST in flight this long marks its receiver as slow: no more start until it ends.
const SLOW: Duration = Duration::from_millis(1_000);

/// What the gate says about a delivery that is due.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    /// POST it now, then report with [`WebhookGate::finish`], handing back the ticket.
    Go(Ticket),
    /// Put it back until this time (Unix ms) without an attempt.
    Later(i64),
}

/// A started POST.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Ticket(Instant);

#[derive(Default)]
struct AppState {
    /// When each POST in flight started.
    in_flight: Vec<Instant>,
    /// Timeouts and connection failures in a row.
    failures: u32,
    paused_until: i64,
}

/// Pauses and limits of this node's webhook POSTs to slow or failing receivers.
#[derive(Default)]
pub(crate) struct WebhookGate {
    apps: Mutex<HashMap<i64, AppState>>,
}

impl WebhookGate {
    /// May a delivery to `app_id` start at `now`?
    pub(crate) fn try_start(&self, app_id: i64, now: i64) -> Gate {
        let mut apps = self.apps.lock();
        let app = apps.entry(app_id).or_default();
        if app.paused_until > now {
            return Gate::Later(app.paused_until);
        }
        // A receiver that failed gets one probe at a time until it answers; one that is
        // slow to answer gets nothing more until it does.
        let started = Instant::now();
        let slow = app
            .in_flight
            .iter()
            .any(|t| started.duration_since(*t) >= SLOW);
        if (app.failures > 0 || slow) && !app.in_flight.is_empty() {
            return Gate::Later(now + BUSY_DELAY_MS);
        }
        app.in_flight.push(started);
        Gate::Go(Ticket(started))
    }

    /// A delivery that was let go has ended; `unreachable` when it timed out or could not
    /// connect.
    pub(crate) fn finish(&self, app_id: i64, ticket: Ticket, unreachable: bool, now: i64) {
        let mut apps = self.apps.lock();
        let Some(app) = apps.get_mut(&app_id) else {
            return;
        };
        if let Some(i) = app.in_flight.iter().position(|t| *t == ticket.0) {
            app.in_flight.swap_remove(i);
        }
        if unreachable {
            app.failures = app.failures.saturating_add(1);
            let pause = BASE_PAUSE_MS
                .saturating_mul(1 << (app.failures - 1).min(16))
                .min(MAX_PAUSE_MS);
            app.paused_until = app.paused_until.max(now + pause);
        } else {
            app.failures = 0;
            app.paused_until = 0;
        }
        if app.in_flight.is_empty() && app.failures == 0 {
            apps.remove(&app_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(gate: &WebhookGate, app: i64, now: i64) -> Ticket {
        match gate.try_start(app, now) {
            Gate::Go(t) => t,
            Gate::Later(at) => panic!("app {app} put back until {at}"),
        }
    }

    #[test]
    fn a_healthy_app_is_never_held_back() {
        let gate = WebhookGate::default();
        let tickets: Vec<Ticket> = (0..100).map(|_| go(&gate, 1, 0)).collect();
        for t in tickets {
            gate.finish(1, t, false, 10);
        }
        assert!(
            gate.apps.lock().is_empty(),
            "healthy idle apps are forgotten"
        );
    }

    #[test]
    fn an_unreachable_app_pauses_longer_each_time_then_recovers() {
        let gate = WebhookGate::default();
        let (a, b) = (go(&gate, 7, 0), go(&gate, 7, 0));
        gate.finish(7, a, true, 1_000);
        assert_eq!(gate.try_start(7, 1_500), Gate::Later(3_000));
        // The other POST in flight fails too: the pause grows.
        gate.finish(7, b, true, 2_000);
        assert_eq!(gate.try_start(7, 2_500), Gate::Later(6_000));
        // After the pause, one probe at a time.
        let probe = go(&gate, 7, 6_000);
        assert_eq!(gate.try_start(7, 6_000), Gate::Later(6_000 + BUSY_DELAY_MS));
        // It answers: back to the full share.
        gate.finish(7, probe, false, 6_100);
        let tickets: Vec<Ticket> = (0..4).map(|_| go(&gate, 7, 6_100)).collect();
        assert!(gate.apps.lock().contains_key(&7));
        for t in tickets {
            gate.finish(7, t, false, 6_200);
        }
        assert!(
            gate.apps.lock().is_empty(),
            "healthy idle apps are forgotten"
        );
    }

    #[test]
    fn a_slow_receiver_gets_no_more_until_it_answers() {
        let gate = WebhookGate::default();
        // A POST that started a while ago and is still waiting.
        let long_ago = Instant::now() - SLOW;
        gate.apps
            .lock()
            .entry(5)
            .or_default()
            .in_flight
            .push(long_ago);
        assert_eq!(gate.try_start(5, 0), Gate::Later(BUSY_DELAY_MS));
        go(&gate, 6, 0);
        gate.finish(5, Ticket(long_ago), false, 0);
        go(&gate, 5, 0);
        go(&gate, 5, 0);
    }

    #[test]
    fn pauses_are_capped() {
        let gate = WebhookGate::default();
        let mut now = 0;
        for _ in 0..40 {
            match gate.try_start(3, now) {
                Gate::Go(t) => gate.finish(3, t, true, now),
                Gate::Later(t) => now = t,
            }
        }
        let t = go(&gate, 3, now);
        gate.finish(3, t, true, now);
        assert_eq!(gate.try_start(3, now), Gate::Later(now + MAX_PAUSE_MS));
    }
}
