//! A bounded in-memory map for the caches of the hot paths (identities, direct chats, business
//! tokens, service windows): when it would grow beyond its capacity it starts over, so a cache
//! never holds more than that however many keys pass through it.

use parking_lot::Mutex;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// Most entries a hot-path cache holds by default.
pub const MAX_ENTRIES: usize = 100_000;

/// A map behind a lock that is cleared when it is full and a new key comes.
pub struct BoundedMap<K, V> {
    map: Mutex<HashMap<K, V>>,
    max: usize,
}

impl<K, V> Default for BoundedMap<K, V> {
    fn default() -> Self {
        BoundedMap {
            map: Mutex::new(HashMap::new()),
            max: MAX_ENTRIES,
        }
    }
}

impl<K: Hash + Eq, V: Clone> BoundedMap<K, V> {
    /// A copy of the value under `key`.
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.map.lock().get(key).cloned()
    }

    /// Set `key` to `value`.
    pub fn put(&self, key: K, value: V) {
        self.with(|map| {
            map.insert(key, value);
        })
    }

    /// Forget everything.
    pub fn clear(&self) {
        self.map.lock().clear();
    }

    /// Work on the map under its lock, with room made for one more key.
    pub fn with<R>(&self, f: impl FnOnce(&mut HashMap<K, V>) -> R) -> R {
        let mut map = self.map.lock();
        if map.len() >= self.max {
            map.clear();
        }
        f(&mut map)
    }
}
