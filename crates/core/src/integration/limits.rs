//! Rate limits of the Cloud API: messages per second per business number (130429) and the
//! pair rate limit between a number and one person (131056), as token buckets on the injected
//! clock. Buckets live in memory on each node.

use super::Integration;
use crate::error::{Error, Result};
use parking_lot::Mutex;
use std::collections::HashMap;

/// Buckets kept before full ones are forgotten.
const MAX_BUCKETS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: i64,
}

/// Token buckets by key.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<(i64, i64), Bucket>>,
}

impl RateLimiter {
    /// Take one token from the bucket `key` holding at most `capacity`, refilled at
    /// `per_ms` tokens a millisecond; false when empty.
    pub fn take(&self, key: (i64, i64), capacity: f64, per_ms: f64, now: i64) -> bool {
        let mut buckets = self.buckets.lock();
        if buckets.len() > MAX_BUCKETS {
            // Full buckets carry no information.
            buckets.retain(|_, b| b.tokens + (now - b.at) as f64 * per_ms < capacity);
        }
        let b = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        b.tokens = (b.tokens + (now - b.at).max(0) as f64 * per_ms).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Integration {
    /// Count a Cloud API send from `number` to `person` (0 when unknown) against the limits.
    pub(crate) fn check_send_limits(&self, number: i64, person: i64) -> Result<()> {
        let limits = &self.ground.config.limits;
        let now = self.ground.now();
        if limits.messages_per_second > 0 {
            let rate = limits.messages_per_second as f64;
            if !self.limiter.take((number, 0), rate, rate / 1000.0, now) {
                return Err(Error::graph(130429, 400, "Rate limit hit", format!("Cloud API message throughput of {} messages per second has been reached for this number.", limits.messages_per_second)));
            }
        }
        if limits.pair_burst > 0 && person != 0 {
            let per_ms = 1.0 / limits.pair_interval_ms.max(1) as f64;
            if !self
                .limiter
                .take((number, person), limits.pair_burst as f64, per_ms, now)
            {
                return Err(Error::graph(131056, 400, "(Business Account, Consumer Account) pair rate limit hit", "Too many messages sent from this phone number to the same phone number in a short period of time."));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_refill_over_time() {
        let l = RateLimiter::default();
        assert!(l.take((1, 0), 2.0, 0.001, 0));
        assert!(l.take((1, 0), 2.0, 0.001, 0));
        assert!(!l.take((1, 0), 2.0, 0.001, 0));
        assert!(!l.take((1, 0), 2.0, 0.001, 500));
        assert!(l.take((1, 0), 2.0, 0.001, 1000));
        assert!(l.take((2, 0), 2.0, 0.001, 1000), "keys are independent");
    }
}
