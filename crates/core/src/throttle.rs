//! Throttles against guessing and abuse: verification code requests and guesses, console
//! passwords. Every attempt is a hit kept in the store (so a restart, another node or deleting
//! a code resets nothing), counted over a sliding window per rule and key (a number, an
//! address, an email). A rule's waits grow with the hits in its window: its first `free` hits
//! come at once, then each must come a wait after the one before, and the waits grow (the
//! last repeats): 30 s, a minute, 5 minutes, an hour…
//!
//! A key that must wait is refused from a read alone (hammering a locked key writes nothing).
//! Otherwise the attempt is recorded first and judged afterwards against every other hit its
//! key has in the window; a refused attempt is taken back. Two attempts racing each other may
//! then both be refused, never both allowed beyond the rule. Also here: which address a request comes
//! from, given the proxies the operator trusts.

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::ids::IdGen;
use crate::outbound::Network;
use async_trait::async_trait;
use parking_lot::Mutex;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The longest window a rule may have; hits older than this are pruned.
pub const LONGEST_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// How often a node prunes old hits.
const PRUNE_EVERY_MS: i64 = 60_000;

/// One kind of throttled attempt.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stored with every hit, so rules never share counts (`code_request_number`, …).
    pub scope: &'static str,
    /// What is counted, for the refusal ("verification codes for this number").
    pub what: &'static str,
    /// Hits older than this no longer count (at most [`LONGEST_WINDOW_MS`]).
    pub window_ms: i64,
    /// Hits in the window that need no wait.
    pub free: usize,
    /// The waits after them: a hit that has `free + i` hits before it in the window must
    /// come `waits_ms[i]` after the latest of them; the last entry repeats.
    pub waits_ms: &'static [i64],
}

impl Rule {
    /// The wait before the next hit when the window holds `n` hits.
    pub fn wait_after(&self, n: usize) -> i64 {
        match (n.checked_sub(self.free), self.waits_ms.len()) {
            (Some(i), len @ 1..) => self.waits_ms[i.min(len - 1)],
            _ => 0,
        }
    }
}

/// One recorded attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ThrottleHit {
    /// Row id.
    pub id: i64,
    /// The rule's scope.
    pub scope: String,
    /// What the attempt was about: a number, an address, an email.
    pub key: String,
    /// When, Unix ms.
    pub at: i64,
}

/// Where throttle hits are kept (the `throttle_hits` table).
#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Every hit of a scope and key at or after `since`, as `(at, id)`.
    async fn throttle_hits(&self, scope: &str, key: &str, since: i64) -> Result<Vec<(i64, i64)>>;
    /// Record `hit`, then return every hit of its scope and key at or after `since`, its own
    /// included, as `(at, id)`.
    async fn add_throttle_hit(&self, hit: &ThrottleHit, since: i64) -> Result<Vec<(i64, i64)>>;
    /// Forget these hits.
    async fn remove_throttle_hits(&self, ids: &[i64]) -> Result<()>;
    /// Forget every hit of a scope and key.
    async fn clear_throttle(&self, scope: &str, key: &str) -> Result<()>;
    /// Forget the hits older than `before`; returns how many went.
    async fn prune_throttle_hits(&self, before: i64) -> Result<u64>;
}

/// Attempts that [`Throttles::take`] allowed.
#[derive(Debug, Default)]
pub struct Taken {
    ids: Vec<i64>,
    /// Per check, in order: the hits its key has in the window now, this one included.
    pub counts: Vec<usize>,
}

/// The throttles of one node over the shared store.
pub struct Throttles {
    store: Arc<dyn ThrottleStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<IdGen>,
    trusted_proxies: Vec<Network>,
    pruned_at: AtomicI64,
}

impl Throttles {
    /// Throttles kept in `store`, on `clock`, trusting X-Forwarded-For from `trusted_proxies`
    /// (addresses or CIDR blocks; ones that do not parse are ignored, the configuration
    /// refuses them first).
    pub fn new(
        store: Arc<dyn ThrottleStore>,
        clock: Arc<dyn Clock>,
        ids: Arc<IdGen>,
        trusted_proxies: &[String],
    ) -> Throttles {
        Throttles {
            store,
            clock,
            ids,
            trusted_proxies: trusted_proxies
                .iter()
                .filter_map(|n| Network::parse(n))
                .collect(),
            pruned_at: AtomicI64::new(0),
        }
    }

    /// Count one attempt under every `(rule, key)` at once: all are recorded, or, when one
    /// rule says to wait, none is and the error says how long (the longest wait).
    pub async fn take(&self, checks: &[(&Rule, &str)]) -> Result<Taken> {
        let now = self.clock.now_ms();
        self.prune(now).await;
        let mut refused: Option<(i64, &Rule)> = None;
        for (rule, key) in checks {
            let hits = self
                .store
                .throttle_hits(rule.scope, key, now - rule.window_ms)
                .await?;
            if let Some((last, _)) = hits.iter().max() {
                let ready = last + rule.wait_after(hits.len());
                if ready > now && refused.is_none_or(|(r, _)| ready > r) {
                    refused = Some((ready, rule));
                }
            }
        }
        if let Some((ready, rule)) = refused {
            return Err(too_many(rule.what, ready - now));
        }
        let mut taken = Taken::default();
        for (rule, key) in checks {
            debug_assert!(rule.window_ms <= LONGEST_WINDOW_MS);
            let hit = ThrottleHit {
                id: self.ids.next(),
                scope: rule.scope.to_string(),
                key: key.to_string(),
                at: now,
            };
            let hits = self
                .store
                .add_throttle_hit(&hit, now - rule.window_ms)
                .await?;
            taken.ids.push(hit.id);
            // Every other hit counts as earlier, even one racing this one.
            let others: Vec<i64> = hits
                .iter()
                .filter(|(_, id)| *id != hit.id)
                .map(|(at, _)| *at)
                .collect();
            taken.counts.push(others.len() + 1);
            if let Some(last) = others.iter().max() {
                let ready = last + rule.wait_after(others.len());
                if ready > now && refused.is_none_or(|(r, _)| ready > r) {
                    refused = Some((ready, rule));
                }
            }
        }
        match refused {
            None => Ok(taken),
            Some((ready, rule)) => {
                self.store.remove_throttle_hits(&taken.ids).await?;
                Err(too_many(rule.what, ready - now))
            }
        }
    }

    /// Take back attempts that turned out not to count (a right code, a right password).
    pub async fn give_back(&self, taken: Taken) -> Result<()> {
        self.store.remove_throttle_hits(&taken.ids).await
    }

    /// Forget every hit of `key` under `rule` (a success resets it).
    pub async fn clear(&self, rule: &Rule, key: &str) -> Result<()> {
        self.store.clear_throttle(rule.scope, key).await
    }

    /// The address a request came from: its peer, or, when the peer is a trusted proxy, the
    /// nearest address in `X-Forwarded-For` (read right to left) that is not one.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let trusted = |ip: IpAddr| self.trusted_proxies.iter().any(|n| n.contains(ip));
        let mut client = canonical(peer);
        let mut hops = forwarded_for
            .iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .collect::<Vec<_>>();
        while trusted(client) {
            match hops.pop().and_then(parse_hop) {
                Some(ip) => client = canonical(ip),
                None => break,
            }
        }
        client
    }

    /// Prune hits older than the longest window, at most once a minute per node.
    async fn prune(&self, now: i64) {
        let last = self.pruned_at.load(Ordering::Relaxed);
        if now - last < PRUNE_EVERY_MS
            || self
                .pruned_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        if let Err(e) = self
            .store
            .prune_throttle_hits(now - LONGEST_WINDOW_MS)
            .await
        {
            tracing::warn!(error = %e, "pruning throttle hits failed");
        }
    }
}

/// The key an address is throttled under: IPv4 addresses alone, IPv6 by their /64 (one
/// subscriber's block).
pub fn address_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// IPv4 addresses mapped into IPv6 as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:80`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
}

/// The refusal, saying when to try again.
fn too_many(what: &str, wait_ms: i64) -> Error {
    let secs = ((wait_ms + 999) / 1000).max(1) as u64;
    let when = match secs {
        0..=119 => format!("{secs} seconds"),
        120..=7199 => format!("{} minutes", secs.div_ceil(60)),
        _ => format!("{} hours", secs.div_ceil(3600)),
    };
    Error::TooManyAttempts {
        message: format!("too many {what}; try again in {when}"),
        retry_after: secs,
    }
}

/// Throttle hits in memory, for tests of the rules.
#[derive(Default)]
pub struct MemoryThrottleStore {
    hits: Mutex<Vec<ThrottleHit>>,
}

#[async_trait]
impl ThrottleStore for MemoryThrottleStore {
    async fn throttle_hits(&self, scope: &str, key: &str, since: i64) -> Result<Vec<(i64, i64)>> {
        let hits = self.hits.lock();
        Ok(hits
            .iter()
            .filter(|h| h.scope == scope && h.key == key && h.at >= since)
            .map(|h| (h.at, h.id))
            .collect())
    }

    async fn add_throttle_hit(&self, hit: &ThrottleHit, since: i64) -> Result<Vec<(i64, i64)>> {
        let mut hits = self.hits.lock();
        hits.push(hit.clone());
        Ok(hits
            .iter()
            .filter(|h| h.scope == hit.scope && h.key == hit.key && h.at >= since)
            .map(|h| (h.at, h.id))
            .collect())
    }

    async fn remove_throttle_hits(&self, ids: &[i64]) -> Result<()> {
        self.hits.lock().retain(|h| !ids.contains(&h.id));
        Ok(())
    }

    async fn clear_throttle(&self, scope: &str, key: &str) -> Result<()> {
        self.hits
            .lock()
            .retain(|h| h.scope != scope || h.key != key);
        Ok(())
    }

    async fn prune_throttle_hits(&self, before: i64) -> Result<u64> {
        let mut hits = self.hits.lock();
        let n = hits.len();
        hits.retain(|h| h.at >= before);
        Ok((n - hits.len()) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct TestClock(AtomicI64);
    impl Clock for TestClock {
        fn now_ms(&self) -> i64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    const LADDER: Rule = Rule {
        scope: "t",
        what: "tries",
        window_ms: 3_600_000,
        free: 3,
        waits_ms: &[30_000, 60_000],
    };
    const OTHER: Rule = Rule {
        scope: "u",
        what: "other tries",
        window_ms: 3_600_000,
        free: 1,
        waits_ms: &[10_000],
    };

    fn throttles(trusted: &[&str]) -> (Throttles, Arc<TestClock>) {
        let clock = Arc::new(TestClock(AtomicI64::new(1_000_000)));
        let trusted: Vec<String> = trusted.iter().map(|s| s.to_string()).collect();
        let t = Throttles::new(
            Arc::new(MemoryThrottleStore::default()),
            clock.clone(),
            Arc::new(IdGen::new(1)),
            &trusted,
        );
        (t, clock)
    }

    fn wait_of(r: Result<Taken>) -> u64 {
        r.expect_err("refused").retry_after().expect("retry_after")
    }

    #[tokio::test]
    async fn waits_grow_with_hits_and_the_window_slides() {
        let (t, clock) = throttles(&[]);
        let take = || t.take(&[(&LADDER, "k")]);
        assert_eq!(take().await.unwrap().counts, [1]);
        assert_eq!(take().await.unwrap().counts, [2]);
        assert_eq!(take().await.unwrap().counts, [3], "three free hits");
        assert_eq!(wait_of(take().await), 30, "the third hit asks for 30 s");
        clock.0.fetch_add(30_000, Ordering::SeqCst);
        assert_eq!(take().await.unwrap().counts, [4], "refusals did not count");
        assert_eq!(wait_of(take().await), 60);
        clock.0.fetch_add(60_000, Ordering::SeqCst);
        take().await.unwrap();
        assert_eq!(wait_of(take().await), 60, "the last wait repeats");
        // An hour after the first hits they leave the window: fewer hits, shorter waits.
        clock.0.fetch_add(3_600_000 - 90_000 + 1, Ordering::SeqCst);
        assert_eq!(take().await.unwrap().counts, [3]);
    }

    #[tokio::test]
    async fn all_rules_or_none_and_the_longest_wait() {
        let (t, _) = throttles(&[]);
        t.take(&[(&OTHER, "a")]).await.unwrap();
        let err = t
            .take(&[(&LADDER, "k"), (&OTHER, "a")])
            .await
            .expect_err("OTHER refuses");
        assert_eq!(err.retry_after(), Some(10));
        assert!(err.to_string().contains("too many other tries"), "{err}");
        // LADDER's hit was taken back: k still has its free hits.
        assert_eq!(t.take(&[(&LADDER, "k")]).await.unwrap().counts, [1]);
    }

    #[tokio::test]
    async fn given_back_and_cleared_hits_no_longer_count() {
        let (t, _) = throttles(&[]);
        let taken = t.take(&[(&OTHER, "a")]).await.unwrap();
        t.give_back(taken).await.unwrap();
        t.take(&[(&OTHER, "a")]).await.unwrap();
        assert!(t.take(&[(&OTHER, "a")]).await.is_err());
        t.clear(&OTHER, "a").await.unwrap();
        t.take(&[(&OTHER, "a")]).await.unwrap();
        t.take(&[(&OTHER, "b")]).await.unwrap();
    }

    /// Counts the writes to a memory store.
    #[derive(Default)]
    struct Counting(MemoryThrottleStore, AtomicI64);

    #[async_trait]
    impl ThrottleStore for Counting {
        async fn throttle_hits(&self, s: &str, k: &str, since: i64) -> Result<Vec<(i64, i64)>> {
            self.0.throttle_hits(s, k, since).await
        }
        async fn add_throttle_hit(&self, hit: &ThrottleHit, since: i64) -> Result<Vec<(i64, i64)>> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.add_throttle_hit(hit, since).await
        }
        async fn remove_throttle_hits(&self, ids: &[i64]) -> Result<()> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.remove_throttle_hits(ids).await
        }
        async fn clear_throttle(&self, scope: &str, key: &str) -> Result<()> {
            self.0.clear_throttle(scope, key).await
        }
        async fn prune_throttle_hits(&self, before: i64) -> Result<u64> {
            self.0.prune_throttle_hits(before).await
        }
    }

    #[tokio::test]
    async fn a_key_that_must_wait_is_refused_without_a_write() {
        let store = Arc::new(Counting::default());
        let clock = Arc::new(TestClock(AtomicI64::new(1_000_000)));
        let t = Throttles::new(store.clone(), clock, Arc::new(IdGen::new(1)), &[]);
        t.take(&[(&OTHER, "a")]).await.unwrap();
        assert_eq!(store.1.load(Ordering::SeqCst), 1);
        for _ in 0..3 {
            assert_eq!(wait_of(t.take(&[(&LADDER, "k"), (&OTHER, "a")]).await), 10);
        }
        assert_eq!(store.1.load(Ordering::SeqCst), 1, "refusals only read");
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let (open, _) = throttles(&[]);
        assert_eq!(
            open.client_ip(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9"),
            "nobody trusted: the header is ignored"
        );
        let (t, _) = throttles(&["10.0.0.0/8", "::1"]);
        assert_eq!(
            t.client_ip(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7", "10.0.0.9"]),
            ip("198.51.100.7"),
            "the nearest untrusted hop; what the client wrote itself is ignored"
        );
        assert_eq!(
            t.client_ip(ip("::1"), &["[2001:db8::1]:443"]),
            ip("2001:db8::1")
        );
        assert_eq!(t.client_ip(ip("10.0.0.2"), &["junk"]), ip("10.0.0.2"));
        assert_eq!(
            t.client_ip(ip("203.0.113.9"), &["1.1.1.1"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            t.client_ip(ip("::ffff:10.0.0.2"), &["1.1.1.1"]),
            ip("1.1.1.1")
        );
    }

    #[test]
    fn ipv6_addresses_are_throttled_by_their_64() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(address_key(ip("2001:db8:1:2::5")), "2001:db8:1:2::/64");
        assert_eq!(
            address_key(ip("2001:db8:1:2:ffff::9")),
            address_key(ip("2001:db8:1:2::5"))
        );
        assert_eq!(address_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
