//! Presence: how many live connections each account has on this node, and the online /
//! last-seen announcements when that changes between zero and one.

use super::Wasla;
use crate::bus::{BusMessage, Topic};
use crate::model::AccountRow;
use parking_lot::Mutex;
use std::collections::HashMap;

/// Live connection counts per account on this node.
#[derive(Debug, Default)]
pub struct Presence {
    counts: Mutex<HashMap<i64, usize>>,
}

impl Presence {
    /// Whether the account has a live connection here.
    pub fn is_online(&self, account_id: i64) -> bool {
        self.counts.lock().get(&account_id).is_some_and(|c| *c > 0)
    }

    /// Number of accounts online here.
    pub fn online_accounts(&self) -> usize {
        self.counts.lock().len()
    }
}

impl Wasla {
    /// A device of `account` connected.
    pub fn connected(&self, account: &AccountRow) {
        crate::metrics::Metrics::inc(&self.metrics.ws_connects);
        self.metrics
            .ws_open
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let first = {
            let mut counts = self.presence.counts.lock();
            let c = counts.entry(account.id).or_insert(0);
            *c += 1;
            *c == 1
        };
        if first {
            self.bus.publish(
                Topic::Presence(account.id),
                BusMessage::Presence {
                    wa_id: account.wa_id.clone(),
                    online: true,
                    last_seen: None,
                },
            );
        }
    }

    /// A device of `account` disconnected; the last one records last-seen.
    pub async fn disconnected(&self, account: &AccountRow) {
        self.metrics
            .ws_open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let last = {
            let mut counts = self.presence.counts.lock();
            match counts.get_mut(&account.id) {
                Some(c) if *c > 1 => {
                    *c -= 1;
                    false
                }
                Some(_) => {
                    counts.remove(&account.id);
                    true
                }
                None => false,
            }
        };
        if last {
            let now = self.now();
            if let Err(e) = self.store.set_last_seen(account.id, now).await {
                tracing::warn!(error = %e, "could not record last seen");
            }
            self.bus.publish(
                Topic::Presence(account.id),
                BusMessage::Presence {
                    wa_id: account.wa_id.clone(),
                    online: false,
                    last_seen: Some(now),
                },
            );
        }
    }
}
