//! Memberships of recently used chats, in memory, so that the hot paths (a send, a receipt, a
//! typing notice) need no read. Filled from `ChatStore::members`; every membership write on
//! this node drops the chat's entry before the write call returns, and tells the other nodes
//! through the bus (`Topic::Memberships`) to drop theirs. Entries also expire after
//! [`TTL`], which bounds how long a lost cross-node notice can matter; the writer checks a
//! sender's membership again inside the commit, so a removed member cannot send through a
//! stale entry either. The cached rows' `last_read_seq` is not kept current: read it from the
//! store.

use super::Chats;
use super::MemberRow;
use crate::bus::{Bus, BusMessage, Live, Topic};
use crate::error::Result;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// Most chats held; the cache starts over when it would grow beyond this.
pub const MAX_CHATS: usize = 100_000;
/// How long an entry is trusted.
pub const TTL: Duration = Duration::from_secs(60);

const IDLE: u8 = 0;
const STARTING: u8 = 1;
const LIVE: u8 = 2;

/// The cache (one per node, held by [`Wasla`]).
pub struct MembershipCache {
    shared: Arc<Shared>,
}

struct Shared {
    inner: Mutex<Inner>,
    /// Whether this node listens to other nodes' invalidations; nothing is cached until it does.
    listening: AtomicU8,
    max: usize,
}

struct Inner {
    chats: HashMap<i64, (Instant, Arc<[MemberRow]>)>,
    /// Bumped by every invalidation: a fill whose read started before one is dropped, so a
    /// read that raced a membership write never lands in the cache.
    generation: u64,
}

impl Default for MembershipCache {
    fn default() -> Self {
        MembershipCache::new(MAX_CHATS)
    }
}

impl MembershipCache {
    /// A cache of at most `max` chats.
    pub fn new(max: usize) -> Self {
        MembershipCache {
            shared: Arc::new(Shared {
                inner: Mutex::new(Inner {
                    chats: HashMap::new(),
                    generation: 0,
                }),
                listening: AtomicU8::new(IDLE),
                max: max.max(1),
            }),
        }
    }

    /// The chat's memberships, if cached and fresh.
    pub fn get(&self, chat_id: i64) -> Option<Arc<[MemberRow]>> {
        let inner = self.shared.inner.lock();
        match inner.chats.get(&chat_id) {
            Some((at, rows)) if at.elapsed() < TTL => Some(rows.clone()),
            _ => None,
        }
    }

    /// Call before reading memberships from the store; pass the result to [`Self::fill`].
    pub fn generation(&self) -> u64 {
        self.shared.inner.lock().generation
    }

    /// Remember memberships read from the store, unless an invalidation happened since
    /// `generation` was taken or this node does not yet hear other nodes' invalidations.
    pub fn fill(&self, chat_id: i64, generation: u64, rows: Arc<[MemberRow]>) {
        if rows.is_empty() || self.shared.listening.load(Ordering::Acquire) != LIVE {
            return;
        }
        let mut inner = self.shared.inner.lock();
        if inner.generation != generation {
            return;
        }
        if inner.chats.len() >= self.shared.max && !inner.chats.contains_key(&chat_id) {
            inner.chats.clear();
        }
        inner.chats.insert(chat_id, (Instant::now(), rows));
    }

    /// Drop a chat's entry.
    pub fn invalidate(&self, chat_id: i64) {
        let mut inner = self.shared.inner.lock();
        inner.generation += 1;
        inner.chats.remove(&chat_id);
    }

    /// Drop everything.
    pub fn clear(&self) {
        self.shared.clear();
    }

    /// Number of chats held.
    pub fn len(&self) -> usize {
        self.shared.inner.lock().chats.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start listening to invalidations from other nodes (once; needs a Tokio runtime). The
    /// cache stays empty until the subscription is live.
    pub fn listen(&self, bus: &Arc<dyn Bus>) {
        if self
            .shared
            .listening
            .compare_exchange(IDLE, STARTING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let shared = self.shared.clone();
        let bus = bus.clone();
        tokio::spawn(async move {
            let mut rx = bus.subscribe(Topic::Memberships).await;
            // Anything filled before this point was refused, so nothing missed can be cached.
            shared.listening.store(LIVE, Ordering::Release);
            loop {
                match rx.recv().await {
                    Ok(Live::Other(msg)) => {
                        if let BusMessage::MembersChanged { chat_id } = *msg {
                            let mut inner = shared.inner.lock();
                            inner.generation += 1;
                            inner.chats.remove(&chat_id);
                        }
                    }
                    Ok(Live::Event { .. }) => {}
                    Err(RecvError::Lagged(_)) => shared.clear(),
                    Err(RecvError::Closed) => break,
                }
            }
            // Nobody tells us about changes any more: stop caching (a later call starts over).
            shared.clear();
            shared.listening.store(IDLE, Ordering::Release);
        });
    }
}

impl Shared {
    fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.generation += 1;
        inner.chats.clear();
    }
}

impl Chats {
    /// All memberships of a chat (past ones included), from the cache or the store.
    pub(crate) async fn cached_members(&self, chat_id: i64) -> Result<Arc<[MemberRow]>> {
        if let Some(rows) = self.memberships.get(chat_id) {
            return Ok(rows);
        }
        self.memberships.listen(&self.ground.bus);
        let generation = self.memberships.generation();
        let rows: Arc<[MemberRow]> = self.store.members(chat_id).await?.into();
        self.memberships.fill(chat_id, generation, rows.clone());
        Ok(rows)
    }

    /// A chat's memberships changed (call once the write returned, before answering): drop
    /// the cached entry here and on every other node.
    pub(crate) fn members_changed(&self, chat_id: i64) {
        self.memberships.invalidate(chat_id);
        self.ground
            .bus
            .publish(Topic::Memberships, BusMessage::MembersChanged { chat_id });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AccountKind;
    use crate::chats::Role;

    fn row(chat_id: i64, account_id: i64) -> MemberRow {
        MemberRow {
            chat_id,
            account_id,
            role: Role::Member,
            joined_at: 1,
            left_at: None,
            left_seq: None,
            last_read_seq: 0,
            account_kind: AccountKind::Person,
        }
    }

    fn live(max: usize) -> MembershipCache {
        let c = MembershipCache::new(max);
        c.shared.listening.store(LIVE, Ordering::Release);
        c
    }

    #[test]
    fn a_fill_that_raced_an_invalidation_is_dropped() {
        let c = live(10);
        let g = c.generation();
        c.invalidate(1);
        c.fill(1, g, vec![row(1, 1)].into());
        assert!(c.get(1).is_none());
        let g = c.generation();
        c.fill(1, g, vec![row(1, 1)].into());
        assert_eq!(c.get(1).unwrap().len(), 1);
        c.invalidate(1);
        assert!(c.get(1).is_none());
    }

    #[test]
    fn nothing_is_cached_until_listening_and_size_is_bounded() {
        let c = MembershipCache::new(2);
        c.fill(1, c.generation(), vec![row(1, 1)].into());
        assert!(c.is_empty());
        let c = live(2);
        for chat in 1..=5 {
            c.fill(chat, c.generation(), vec![row(chat, 1)].into());
            assert!(c.len() <= 2);
        }
        assert!(c.get(5).is_some());
    }

    #[tokio::test]
    async fn other_nodes_invalidations_arrive_through_the_bus() {
        let bus: Arc<dyn Bus> = Arc::new(crate::bus::InProcessBus::default());
        let c = MembershipCache::new(10);
        c.listen(&bus);
        for _ in 0..100 {
            if c.shared.listening.load(Ordering::Acquire) == LIVE {
                break;
            }
            tokio::task::yield_now().await;
        }
        c.fill(7, c.generation(), vec![row(7, 1)].into());
        assert!(c.get(7).is_some());
        bus.publish(
            Topic::Memberships,
            BusMessage::MembersChanged { chat_id: 7 },
        );
        for _ in 0..100 {
            if c.get(7).is_none() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("entry not dropped");
    }
}
