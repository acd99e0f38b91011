//! Presence: how many live connections each account has on this node, and the online /
//! last-seen announcements when that changes between zero and one; and how many console
//! streams each agent has open here.

use super::AccountRow;
use super::Accounts;
use crate::bus::{BusMessage, Topic};
use parking_lot::Mutex;
use std::collections::HashMap;

/// Live connection counts per account, and open console streams per agent, on this node.
#[derive(Debug, Default)]
pub struct Presence {
    counts: Mutex<HashMap<i64, usize>>,
    consoles: Mutex<HashMap<i64, usize>>,
}

/// Count one more for `id`; true when it was the first.
fn count_up(counts: &Mutex<HashMap<i64, usize>>, id: i64) -> bool {
    let mut counts = counts.lock();
    let c = counts.entry(id).or_insert(0);
    *c += 1;
    *c == 1
}

/// Count one less for `id`; true when it was the last.
fn count_down(counts: &Mutex<HashMap<i64, usize>>, id: i64) -> bool {
    let mut counts = counts.lock();
    match counts.get_mut(&id) {
        Some(c) if *c > 1 => {
            *c -= 1;
            false
        }
        Some(_) => {
            counts.remove(&id);
            true
        }
        None => false,
    }
}

impl Presence {
    /// Whether the agent has a console stream open here.
    pub fn console_open(&self, agent_id: i64) -> bool {
        self.consoles.lock().contains_key(&agent_id)
    }

    /// An agent opened a console stream; true for their first.
    pub(crate) fn console_opened(&self, agent_id: i64) -> bool {
        count_up(&self.consoles, agent_id)
    }

    /// An agent closed a console stream; true when it was their last.
    pub(crate) fn console_closed(&self, agent_id: i64) -> bool {
        count_down(&self.consoles, agent_id)
    }

    /// Whether the account has a live connection here.
    pub fn is_online(&self, account_id: i64) -> bool {
        self.counts.lock().get(&account_id).is_some_and(|c| *c > 0)
    }

    /// Number of accounts online here.
    pub fn online_accounts(&self) -> usize {
        self.counts.lock().len()
    }
}

impl Accounts {
    /// A device of `account` connected.
    pub fn connected(&self, account: &AccountRow) {
        crate::metrics::Metrics::inc(&self.ground.metrics.ws_connects);
        self.ground
            .metrics
            .ws_open
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if count_up(&self.presence.counts, account.id) {
            self.ground.bus.publish(
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
        self.ground
            .metrics
            .ws_open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        if count_down(&self.presence.counts, account.id) {
            let now = self.ground.now();
            if let Err(e) = self.store.set_last_seen(account.id, now).await {
                tracing::warn!(error = %e, "could not record last seen");
            }
            self.ground.bus.publish(
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
