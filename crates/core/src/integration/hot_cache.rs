//! In-memory caches of the Cloud API's hot path, so a send and its status webhooks need fewer
//! reads: account identities (id, kind, wa_id and WABA never change once an account exists),
//! the ids of direct chats (a pair's chat never changes either),
//! business access tokens (trusted for [`TOKEN_TTL`]; revoking one on this node forgets them
//! all at once, other nodes within the TTL), and customer service windows (the latest
//! message of a person to a business number: this node's commits write through, and an entry
//! is read again from the store after [`WINDOW_TTL`], so a newer message committed by another
//! node is seen within it), and the rows of business numbers that send through the Cloud API
//! (trusted for [`TOKEN_TTL`], so a profile change shows in new sends within it). Each map
//! starts over when it would grow beyond [`MAX_ENTRIES`].

use crate::accounts::{AccountKind, AccountRow};
use crate::error::Result;
use crate::Wasla;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// Most entries per map.
pub const MAX_ENTRIES: usize = 100_000;
/// How long a business token's WABA is trusted.
pub const TOKEN_TTL: Duration = Duration::from_secs(2);
/// How long a service window read from the store is trusted.
pub const WINDOW_TTL: Duration = Duration::from_secs(1);

/// The parts of an account that never change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Account id (for a business number, its phone-number id).
    pub id: i64,
    /// Person or business number.
    pub kind: AccountKind,
    /// The wa_id.
    pub wa_id: String,
    /// A business number's WABA.
    pub waba_id: Option<i64>,
}

impl Identity {
    fn of(a: &AccountRow) -> Identity {
        Identity {
            id: a.id,
            kind: a.kind,
            wa_id: a.wa_id.clone(),
            waba_id: a.waba_id,
        }
    }
}

/// When a window was last read from the store (if ever), and its latest inbound time.
type Window = (Option<Instant>, Option<i64>);

/// The caches (one per node, held by [`Wasla`]).
#[derive(Default)]
pub struct HotCache {
    identities: Mutex<HashMap<i64, Identity>>,
    /// wa_id → account id, for accounts that exist (an unknown wa_id may register any time).
    wa_ids: Mutex<HashMap<String, i64>>,
    /// (lower account id, higher account id) → their direct chat.
    direct_chats: Mutex<HashMap<(i64, i64), i64>>,
    tokens: Mutex<HashMap<String, (Instant, i64)>>,
    /// Business numbers by phone-number id, as last read.
    numbers: Mutex<HashMap<i64, (Instant, AccountRow)>>,
    /// (business, person) → what is known of their service window.
    windows: Mutex<HashMap<(i64, i64), Window>>,
}

/// Make room for one more entry: a full map starts over.
fn room<K, V>(map: &mut HashMap<K, V>) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
}

fn put<K: Hash + Eq, V>(map: &Mutex<HashMap<K, V>>, key: K, value: V) {
    let mut map = map.lock();
    room(&mut map);
    map.insert(key, value);
}

impl HotCache {
    /// Keep an account's identity, by id and by wa_id.
    fn remember(&self, account: &AccountRow) -> Identity {
        let identity = Identity::of(account);
        put(&self.identities, account.id, identity.clone());
        put(&self.wa_ids, account.wa_id.clone(), account.id);
        identity
    }

    /// Forget every business token (one was revoked).
    pub fn forget_tokens(&self) {
        self.tokens.lock().clear();
    }

    /// A person's message to a business number was committed on this node at `at`. A read
    /// racing this commit keeps the later time (see [`Wasla::last_inbound`]).
    pub fn note_inbound(&self, business_id: i64, person_id: i64, at: i64) {
        let mut windows = self.windows.lock();
        room(&mut windows);
        let (_, last) = windows
            .entry((business_id, person_id))
            .or_insert((None, None));
        *last = Some(last.map_or(at, |t| t.max(at)));
    }
}

impl Wasla {
    /// The identity of an account, from memory when seen before.
    pub async fn identity(&self, id: i64) -> Result<Option<Identity>> {
        if let Some(found) = self.hot.identities.lock().get(&id) {
            return Ok(Some(found.clone()));
        }
        Ok(self.store.account(id).await?.map(|a| self.hot.remember(&a)))
    }

    /// The identity of the account with this wa_id, from memory when seen before.
    pub async fn identity_by_wa_id(&self, wa_id: &str) -> Result<Option<Identity>> {
        let id = self.hot.wa_ids.lock().get(wa_id).copied();
        if let Some(id) = id {
            return self.identity(id).await;
        }
        Ok(self
            .store
            .account_by_wa_id(wa_id)
            .await?
            .map(|a| self.hot.remember(&a)))
    }

    /// The id of the direct chat between two accounts, created when there is none yet.
    pub(crate) async fn direct_chat_id(&self, me: &AccountRow, peer: &Identity) -> Result<i64> {
        let key = (me.id.min(peer.id), me.id.max(peer.id));
        if let Some(id) = self.hot.direct_chats.lock().get(&key) {
            return Ok(*id);
        }
        let peer = self
            .store
            .account(peer.id)
            .await?
            .ok_or_else(|| crate::error::Error::not_found("account not found"))?;
        let chat = self.direct_chat_with(me, &peer).await?;
        put(&self.hot.direct_chats, key, chat.id);
        Ok(chat.id)
    }

    /// The WABA of a business token's hash, or none for an unknown or revoked token.
    pub(crate) async fn cached_business_token(&self, token_hash: &str) -> Result<Option<i64>> {
        if let Some((at, waba)) = self.hot.tokens.lock().get(token_hash) {
            if at.elapsed() < TOKEN_TTL {
                return Ok(Some(*waba));
            }
        }
        let found = self.store.business_token(token_hash).await?;
        if let Some(waba) = found {
            put(
                &self.hot.tokens,
                token_hash.to_string(),
                (Instant::now(), waba),
            );
        }
        Ok(found)
    }

    /// A phone number of the WABA, for sending (see [`Wasla::owned_number`]); the row may be
    /// up to [`TOKEN_TTL`] old.
    pub async fn sending_number(&self, waba_id: i64, phone_number_id: &str) -> Result<AccountRow> {
        let id = crate::ids::parse_id(phone_number_id);
        if let Some((at, row)) = id.and_then(|id| self.hot.numbers.lock().get(&id).cloned()) {
            if at.elapsed() < TOKEN_TTL && row.waba_id == Some(waba_id) {
                return Ok(row);
            }
        }
        let row = self.owned_number(waba_id, phone_number_id).await?;
        put(&self.hot.numbers, row.id, (Instant::now(), row.clone()));
        Ok(row)
    }

    /// When the person last wrote to the business number (the customer service window's
    /// start), or none.
    pub(crate) async fn last_inbound(
        &self,
        business_id: i64,
        person_id: i64,
    ) -> Result<Option<i64>> {
        let key = (business_id, person_id);
        if let Some((Some(at), last)) = self.hot.windows.lock().get(&key) {
            if at.elapsed() < WINDOW_TTL {
                return Ok(*last);
            }
        }
        let read_at = Instant::now();
        let last = self.store.last_inbound(business_id, person_id).await?;
        // A commit of this node that raced the read may be newer; keep the later time.
        let mut windows = self.hot.windows.lock();
        let merged = match windows.get(&key) {
            Some((_, Some(t))) => Some(last.map_or(*t, |l| l.max(*t))),
            _ => last,
        };
        room(&mut windows);
        windows.insert(key, (Some(read_at), merged));
        Ok(merged)
    }
}
