//! Facts of the hot path kept in memory: the id of a pair's direct chat (it never changes),
//! and customer service windows, the latest message of a person to a business number. This
//! node's commits write through, and an entry is read again from the store after
//! [`WINDOW_TTL`], so a newer message committed by another node is seen within it.

use super::Chats;
use crate::accounts::{AccountRow, Identity};
use crate::error::{Error, Result};
use std::time::{Duration, Instant};

/// How long a service window read from the store is trusted.
pub const WINDOW_TTL: Duration = Duration::from_secs(1);

/// When a window entry was read from the store, and the person's latest message then.
pub(super) type Window = (Option<Instant>, Option<i64>);

impl Chats {
    /// The id of the direct chat between `me` and `peer`, created on first use.
    pub async fn direct_chat_id(&self, me: &AccountRow, peer: &Identity) -> Result<i64> {
        let key = (me.id.min(peer.id), me.id.max(peer.id));
        if let Some(id) = self.direct_chats.get(&key) {
            return Ok(id);
        }
        let peer = self
            .accounts
            .account(peer.id)
            .await?
            .ok_or_else(|| Error::not_found("account not found"))?;
        let chat = self.direct_chat_with(me, &peer).await?;
        self.direct_chats.put(key, chat.id);
        Ok(chat.id)
    }

    /// Remember a person's message to a business number committed on this node.
    pub(super) fn note_inbound(&self, business_id: i64, person_id: i64, at: i64) {
        self.windows.with(|windows| {
            let (_, last) = windows
                .entry((business_id, person_id))
                .or_insert((None, None));
            *last = Some(last.map_or(at, |t| t.max(at)));
        })
    }

    /// When the person last wrote to the business number, Unix ms.
    pub async fn last_inbound(&self, business_id: i64, person_id: i64) -> Result<Option<i64>> {
        let key = (business_id, person_id);
        if let Some((Some(at), last)) = self.windows.get(&key) {
            if at.elapsed() < WINDOW_TTL {
                return Ok(last);
            }
        }
        let read_at = Instant::now();
        let last = self.store.last_inbound(business_id, person_id).await?;
        // A commit of this node that raced the read may be newer; keep the later time.
        Ok(self.windows.with(|windows| {
            let merged = match windows.get(&key) {
                Some((_, Some(t))) => Some(last.map_or(*t, |l| l.max(*t))),
                _ => last,
            };
            windows.insert(key, (Some(read_at), merged));
            merged
        }))
    }
}
