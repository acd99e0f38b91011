//! Webhook delivery: a worker on every node claims due rows of the outbox with a lease,
//! renders and signs each payload, POSTs it, records the attempt, and schedules a retry with
//! exponential backoff and jitter until it succeeds or grows too old. The statuses of one
//! message to one recipient reach an app in order: a claim never hands out one while an
//! earlier one is pending (see [`super::ordering_key`]), so a round never holds two of them
//! and each waits for the one before it to be delivered or given up. Also the verification
//! handshake an app's callback URL must pass, the delivery log and redelivery.

use super::gate::Gate;
use super::render::{ascii_json, signature};
use super::Integration;
use super::{AttemptOutcome, AttemptRecord, DeliveryRow, OutboxRow};
use crate::business::AppRow;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::parse_id;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The least a lease outlasts the POST timeout: a round starts its POSTs within
/// [`ROUND_PATIENCE`], and one that outlasts its round is recorded by a later round.
const LEASE_MARGIN_MS: i64 = 5_000;
/// Deliveries claimed per round. A round waits for two group commits (its claim and its
/// attempts), which under load take tens of milliseconds each, so rounds must be large for
/// delivery to keep up with saturated sends.
const CLAIM_BATCH: i64 = 1024;
/// Rounds running at once on a node.
const ROUNDS_IN_FLIGHT: usize = 2;
/// Shortest time from one round's claim to the same loop's next, unless the round was full.
/// Every round costs a claim and a record of its attempts, statements in the group commits
/// that message commits also wait for, however few deliveries it carries; a short wait lets
/// a round carry what becomes due meanwhile instead of one claim per status.
const ROUND_GAP: Duration = Duration::from_millis(10);
/// Longest a round waits for its POSTs before it leaves the rest to finish on their own.
const ROUND_PATIENCE: Duration = Duration::from_secs(1);
/// First retry delay.
const BASE_BACKOFF_MS: i64 = 2_000;

impl Integration {
    /// Run the delivery worker until the server stops.
    pub fn spawn_webhook_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let timeout = Duration::from_millis(app.ground.config.webhooks.timeout_ms);
            let client = app
                .ground
                .outbound()
                .client(timeout, false)
                .user_agent(concat!("Wasla-Webhooks/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("http client");
            // Rounds overlap: while one round's deliveries and bookkeeping run, another
            // claims what became due (leases keep their rows apart).
            let loops = (0..ROUNDS_IN_FLIGHT).map(|_| app.delivery_loop(&client));
            futures::future::join_all(loops).await;
        })
    }

    /// Claim and deliver rounds until the server stops; sleep while nothing is due.
    async fn delivery_loop(self: &Arc<Self>, client: &reqwest::Client) {
        let stopping = self.ground.stopping();
        tokio::pin!(stopping);
        loop {
            let started = tokio::time::Instant::now();
            let claimed = match self.deliver_due(client).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "webhook worker");
                    0
                }
            };
            if claimed == CLAIM_BATCH as usize {
                continue;
            }
            if claimed > 0 {
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep_until(started + ROUND_GAP) => {}
                }
                continue;
            }
            tokio::select! {
                _ = &mut stopping => return,
                _ = self.ground.outbox_ready.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            }
        }
    }

    /// Wake the worker: new webhooks were committed.
    pub(crate) fn webhooks_queued(&self) {
        self.ground.outbox_ready.notify_one();
    }

    /// Claim and deliver one round of due webhooks; returns how many were claimed. The round
    /// waits for its POSTs for at most [`ROUND_PATIENCE`]: those still running then finish on
    /// their own and are recorded by a later round, and the rows not yet started are put back,
    /// due at once, so one slow receiver cannot hold the round.
    pub async fn deliver_due(self: &Arc<Self>, client: &reqwest::Client) -> Result<usize> {
        let mut attempts = self.finished_stragglers();
        let now = self.ground.now();
        let rows = self
            .store
            .claim_webhooks(now, now + self.lease_ms(), CLAIM_BATCH)
            .await?;
        let n = rows.len();
        // Each app of the round is read once.
        let mut apps: HashMap<i64, Option<AppRow>> = HashMap::new();
        for row in &rows {
            if let std::collections::hash_map::Entry::Vacant(e) = apps.entry(row.app_id) {
                e.insert(self.store.app(row.app_id).await?);
            }
        }
        let apps = Arc::new(apps);
        let patience = tokio::time::sleep(ROUND_PATIENCE);
        tokio::pin!(patience);
        let mut rows = rows.into_iter();
        let mut running = FuturesUnordered::new();
        loop {
            while running.len() < self.ground.config.webhooks.concurrency.max(1) {
                let Some(row) = rows.next() else { break };
                let work = self
                    .clone()
                    .deliver_gated(client.clone(), apps.clone(), row);
                running.push(tokio::spawn(work));
            }
            if running.is_empty() {
                break;
            }
            tokio::select! {
                done = running.next() => {
                    if let Some(Ok(Some(attempt))) = done {
                        attempts.push(attempt);
                    }
                }
                () = &mut patience => break,
            }
        }
        let now = self.ground.now();
        attempts.extend(rows.map(|row| put_back(&row, now)));
        self.webhook_stragglers.lock().extend(running);
        // The round's attempts are recorded in one commit: a delivery recorded late is at
        // worst delivered again (at least once), never lost.
        if !attempts.is_empty() {
            self.store.record_attempts(attempts).await?;
        }
        Ok(n)
    }

    /// Attempts of earlier rounds' POSTs that have finished since.
    fn finished_stragglers(&self) -> Vec<AttemptRecord> {
        let mut stragglers = self.webhook_stragglers.lock();
        let mut done = vec![];
        stragglers.retain_mut(|task| {
            if !task.is_finished() {
                return true;
            }
            if let Some(Ok(Some(attempt))) = task.now_or_never() {
                done.push(attempt);
            }
            false
        });
        done
    }

    /// Deliver one claimed row unless its app's receiver is paused or slow (then it is put
    /// back at once instead of holding one of the round's places).
    async fn deliver_gated(
        self: Arc<Self>,
        client: reqwest::Client,
        apps: Arc<HashMap<i64, Option<AppRow>>>,
        row: OutboxRow,
    ) -> Option<AttemptRecord> {
        let ticket = match self.webhook_gate.try_start(row.app_id, self.ground.now()) {
            Gate::Go(ticket) => ticket,
            Gate::Later(at) => return Some(put_back(&row, at)),
        };
        let app = apps.get(&row.app_id).and_then(Option::as_ref);
        let attempt = self.deliver_one(&client, app, &row).await;
        // A receiver that answered nothing (timed out, refused, reset) is paused.
        let unreachable = attempt.as_ref().is_ok_and(|a| a.1);
        self.webhook_gate
            .finish(row.app_id, ticket, unreachable, self.ground.now());
        match attempt {
            Ok((record, _)) => Some(record),
            Err(e) => {
                tracing::warn!(id = row.id, error = %e, "webhook delivery bookkeeping failed");
                None
            }
        }
    }

    /// POST one delivery; the attempt, and whether the receiver answered nothing at all.
    async fn deliver_one(
        &self,
        client: &reqwest::Client,
        app: Option<&AppRow>,
        row: &OutboxRow,
    ) -> Result<(AttemptRecord, bool)> {
        let attempt = row.attempts + 1;
        let work: WebhookWork = serde_json::from_str(&row.event).map_err(Error::internal)?;
        let payload = self.render_webhook(&work).await?;
        let (Some(app), Some(payload)) = (app, payload) else {
            let record = AttemptRecord {
                outbox_id: row.id,
                attempt,
                at: self.ground.now(),
                status_code: None,
                error: Some("nothing to deliver any more".into()),
                duration_ms: 0,
                outcome: AttemptOutcome::Failed,
            };
            return Ok((record, false));
        };
        let body = ascii_json(&payload)?;
        let started = Instant::now();
        let sent = client
            .post(&app.webhook_url)
            .header("Content-Type", "application/json")
            .header("X-Hub-Signature-256", signature(&app.app_secret, &body))
            .body(body)
            .send()
            .await;
        let took = started.elapsed().as_millis() as i64;
        let now = self.ground.now();
        let (status, error) = match &sent {
            Ok(r) if r.status().is_success() => (Some(r.status().as_u16() as i64), None),
            Ok(r) => (
                Some(r.status().as_u16() as i64),
                Some(format!("HTTP {}", r.status().as_u16())),
            ),
            Err(e) => (None, Some(crate::outbound::short_error(e))),
        };
        let outcome = if error.is_none() {
            AttemptOutcome::Delivered
        } else if now - row.created_at
            >= self.ground.config.webhooks.max_retry_hours as i64 * 3_600_000
        {
            AttemptOutcome::Failed
        } else {
            AttemptOutcome::RetryAt(now + self.backoff_ms(attempt))
        };
        let record = AttemptRecord {
            outbox_id: row.id,
            attempt,
            at: now,
            status_code: status,
            error,
            duration_ms: took,
            outcome,
        };
        Ok((record, sent.is_err()))
    }

    /// How long a claimed delivery stays ours before another worker may take it: the
    /// configured lease, but never so short that a POST still waiting for its answer, or its
    /// record, could be claimed again.
    fn lease_ms(&self) -> i64 {
        let w = &self.ground.config.webhooks;
        (w.lease_secs as i64 * 1000).max(w.timeout_ms as i64 + LEASE_MARGIN_MS)
    }

    /// Exponential backoff with ±20 % jitter, capped.
    fn backoff_ms(&self, attempt: i64) -> i64 {
        let cap = self.ground.config.webhooks.max_backoff_secs as i64 * 1000;
        let exp = BASE_BACKOFF_MS
            .saturating_mul(1i64 << (attempt - 1).clamp(0, 20))
            .min(cap);
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        (exp as f64 * jitter) as i64
    }

    /// An app's delivery log, newest first.
    pub async fn delivery_log(
        &self,
        app_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>> {
        let app = self.app_by_id(app_id).await?;
        self.store
            .deliveries(app.id, before, limit.clamp(1, 500))
            .await
    }

    /// Deliver an event again (for a receiver that lost it).
    pub async fn redeliver(&self, app_id: &str, delivery_id: &str) -> Result<()> {
        let app = self.app_by_id(app_id).await?;
        let not_found = || Error::not_found(format!("no delivery {delivery_id} for app {app_id}"));
        let id = parse_id(delivery_id).ok_or_else(not_found)?;
        let found = self.store.deliveries(app.id, Some(id + 1), 1).await?;
        if found.first().map(|d| d.id) != Some(id)
            || !self.store.redeliver(id, self.ground.now()).await?
        {
            return Err(not_found());
        }
        self.webhooks_queued();
        Ok(())
    }

    /// An app by id string.
    pub async fn app_by_id(&self, id: &str) -> Result<AppRow> {
        let not_found = || Error::not_found(format!("no app {id}"));
        self.store
            .app(parse_id(id).ok_or_else(not_found)?)
            .await?
            .ok_or_else(not_found)
    }
}

/// A due delivery put back until `at` without an attempt.
fn put_back(row: &OutboxRow, at: i64) -> AttemptRecord {
    AttemptRecord {
        outbox_id: row.id,
        attempt: row.attempts,
        at,
        status_code: None,
        error: None,
        duration_ms: 0,
        outcome: AttemptOutcome::PutBack(at),
    }
}
