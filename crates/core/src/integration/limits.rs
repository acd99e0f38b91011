//! Rate limits of the Cloud API: messages per second per business number (130429) and the
//! pair rate limit between a number and one person (131056), as buckets on the injected
//! clock that hold across restarts and across the nodes sharing a database.
//!
//! Each bucket is kept as the time it is full again (its "theoretical arrival time", GCRA):
//! a message pushes that time one interval later, and is refused when the time is more than
//! a burst ahead of now. Sends decide on this node's buckets in memory (one lock, no I/O).
//! Every [`SYNC_EVERY`] a task writes what this node used to the store, where each key's time
//! becomes `max(stored, start of the use) + use`, and reads back every key changed since the
//! last round, by any node; a bucket takes the later of its own time and the stored one (plus
//! what it used meanwhile). States still in the future are loaded before a node serves, and
//! the last use is written when it stops. So a number's budget holds within one sync
//! interval: another node's sends count here at most `SYNC_EVERY` (plus a round's duration)
//! late, and a crash forgets at most the last interval's sends.

use super::{Integration, RateState, RateUse};
use crate::error::{Error, Result};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often a node writes its use and reads every node's.
pub const SYNC_EVERY: Duration = Duration::from_millis(200);
/// Rows changed this long before the last read are read again, for nodes whose clocks differ.
const CLOCK_SLACK_MS: i64 = 250;
/// How often full buckets are deleted from the store (clock time).
const PRUNE_EVERY_MS: i64 = 60_000;
/// Buckets kept in memory before full ones are forgotten.
const MAX_BUCKETS: usize = 100_000;

/// One key's bucket on this node. Times in microseconds.
#[derive(Debug, Clone, Copy, Default)]
struct Bucket {
    /// When the bucket is full again.
    full_at: i64,
    /// Time this node used since its last sync (intervals taken).
    used: i64,
    /// When that use began.
    since: i64,
}

/// The buckets of this node, by `(number, person)` (`person` 0: the number's own bucket).
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(i64, i64), Bucket>>,
    /// When the store was last read (ms), by the clock.
    read_at: AtomicI64,
    /// When full buckets were last pruned from the store (ms).
    pruned_at: AtomicI64,
}

impl RateLimiter {
    /// Take one message from bucket `key`, which holds `burst` and refills one every
    /// `interval_us`; false when it is empty. `now_us` is the clock in microseconds.
    pub fn take(&self, key: (i64, i64), burst: i64, interval_us: i64, now_us: i64) -> bool {
        let mut buckets = self.buckets.lock();
        if buckets.len() > MAX_BUCKETS {
            // Full buckets with nothing to write carry no information.
            buckets.retain(|_, b| b.full_at > now_us || b.used > 0);
        }
        let b = buckets.entry(key).or_default();
        let start = b.full_at.max(now_us);
        if start - now_us > (burst - 1).max(0) * interval_us {
            return false;
        }
        b.full_at = start + interval_us;
        if b.used == 0 {
            b.since = now_us;
        }
        b.used += interval_us;
        true
    }

    /// What was used since the last sync, taken out, in key order (so that nodes writing at
    /// once lock rows in the same order).
    fn drain(&self) -> Vec<RateUse> {
        let mut uses: Vec<RateUse> = self
            .buckets
            .lock()
            .iter_mut()
            .filter(|(_, b)| b.used > 0)
            .map(|(key, b)| {
                let used = std::mem::take(&mut b.used);
                RateUse {
                    number_id: key.0,
                    person_id: key.1,
                    since_us: b.since,
                    used_us: used,
                }
            })
            .collect();
        uses.sort_by_key(|u| (u.number_id, u.person_id));
        uses
    }

    /// Put back use that could not be written, for the next round.
    fn restore(&self, uses: &[RateUse]) {
        let mut buckets = self.buckets.lock();
        for u in uses {
            let b = buckets.entry((u.number_id, u.person_id)).or_default();
            b.since = if b.used > 0 {
                b.since.min(u.since_us)
            } else {
                u.since_us
            };
            b.used += u.used_us;
        }
    }

    /// Take in states every node's use left in the store: a bucket is full again at the later
    /// of its own time and the stored one plus what it used since its last write.
    fn merge(&self, states: &[RateState]) {
        let mut buckets = self.buckets.lock();
        for s in states {
            let b = buckets.entry((s.number_id, s.person_id)).or_default();
            b.full_at = b.full_at.max(s.full_at_us + b.used);
        }
    }
}

impl Integration {
    /// Count a Cloud API send from `number` to `person` (0 when unknown) against the limits.
    pub(crate) fn check_send_limits(&self, number: i64, person: i64) -> Result<()> {
        let limits = &self.ground.config.limits;
        let now_us = self.ground.now() * 1000;
        if limits.messages_per_second > 0 {
            let rate = limits.messages_per_second as i64;
            if !self
                .limiter
                .take((number, 0), rate, 1_000_000 / rate, now_us)
            {
                return Err(Error::graph(130429, 400, "Rate limit hit", format!("Cloud API message throughput of {} messages per second has been reached for this number.", limits.messages_per_second)));
            }
        }
        if limits.pair_burst > 0 && person != 0 {
            let interval_us = limits.pair_interval_ms.max(1) as i64 * 1000;
            if !self.limiter.take(
                (number, person),
                limits.pair_burst as i64,
                interval_us,
                now_us,
            ) {
                return Err(Error::graph(131056, 400, "(Business Account, Consumer Account) pair rate limit hit", "Too many messages sent from this phone number to the same phone number in a short period of time."));
            }
        }
        Ok(())
    }

    /// Load the buckets every node left in the store (await it before serving, so a restarted
    /// node refuses what was used up before), then sync every [`SYNC_EVERY`] until the server
    /// stops. After the server has stopped, [`Integration::sync_rate_limits`] writes the last
    /// use.
    pub async fn start_rate_limit_sync(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let now = self.ground.now();
        match self.store.rate_states(i64::MIN, now * 1000).await {
            Ok(states) => {
                self.limiter.merge(&states);
                self.limiter.read_at.store(now, Ordering::Relaxed);
            }
            Err(e) => tracing::warn!(error = %e, "loading rate limits failed"),
        }
        let me = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SYNC_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => me.sync_rate_limits().await,
                    _ = me.ground.stopping() => break,
                }
            }
        })
    }

    /// One round: write what this node used since the last, read what every node's use left.
    pub async fn sync_rate_limits(&self) {
        let now = self.ground.now();
        let uses = self.limiter.drain();
        if !uses.is_empty() {
            if let Err(e) = self.store.add_rate_use(&uses, now).await {
                tracing::warn!(error = %e, keys = uses.len(), "writing rate limits failed");
                self.limiter.restore(&uses);
                return;
            }
        }
        let since = self.limiter.read_at.load(Ordering::Relaxed) - CLOCK_SLACK_MS;
        match self.store.rate_states(since, now * 1000).await {
            Ok(states) => {
                self.limiter.merge(&states);
                self.limiter.read_at.store(now, Ordering::Relaxed);
            }
            Err(e) => tracing::warn!(error = %e, "reading rate limits failed"),
        }
        let pruned = self.limiter.pruned_at.load(Ordering::Relaxed);
        if now - pruned >= PRUNE_EVERY_MS {
            self.limiter.pruned_at.store(now, Ordering::Relaxed);
            // Full buckets untouched for a round of pruning carry no information.
            if let Err(e) = self
                .store
                .prune_rate_states(now - PRUNE_EVERY_MS, now * 1000)
                .await
            {
                tracing::warn!(error = %e, "pruning rate limits failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    #[test]
    fn buckets_refill_over_time() {
        let l = RateLimiter::default();
        assert!(l.take((1, 0), 2, S, 0));
        assert!(l.take((1, 0), 2, S, 0));
        assert!(!l.take((1, 0), 2, S, 0));
        assert!(!l.take((1, 0), 2, S, S / 2));
        assert!(l.take((1, 0), 2, S, S));
        assert!(l.take((2, 0), 2, S, S), "keys are independent");
    }

    #[test]
    fn use_is_drained_once_and_stored_states_count() {
        let l = RateLimiter::default();
        assert!(l.take((1, 0), 3, S, 10));
        assert!(l.take((1, 0), 3, S, 20));
        let uses = l.drain();
        assert_eq!(uses.len(), 1);
        assert_eq!((uses[0].since_us, uses[0].used_us), (10, 2 * S));
        assert!(l.drain().is_empty(), "drained once");
        // Another node used the rest: this one refuses until the stored time has passed.
        assert!(l.take((1, 0), 3, S, 30));
        l.merge(&[RateState {
            number_id: 1,
            person_id: 0,
            full_at_us: 10 + 3 * S,
        }]);
        assert!(!l.take((1, 0), 3, S, 40));
        // The stored time plus this node's own unwritten use.
        assert!(l.take((1, 0), 3, S, 10 + 2 * S));
        let uses = l.drain();
        assert_eq!(uses[0].used_us, 2 * S);
        l.restore(&uses);
        assert_eq!(l.drain()[0].used_us, 2 * S, "a failed write is tried again");
    }
}
