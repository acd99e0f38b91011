//! Identities: the parts of an account that never change once it exists (id, kind, wa_id and
//! WABA), kept in memory so a send and its status webhooks need fewer reads.

use super::{AccountKind, AccountRow, Accounts};
use crate::error::Result;

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

impl Accounts {
    fn remember(&self, account: &AccountRow) -> Identity {
        let identity = Identity::of(account);
        self.identities.put(account.id, identity.clone());
        self.wa_ids.put(account.wa_id.clone(), account.id);
        identity
    }

    /// The identity of an account, from memory when known.
    pub async fn identity(&self, id: i64) -> Result<Option<Identity>> {
        if let Some(found) = self.identities.get(&id) {
            return Ok(Some(found));
        }
        Ok(self.store.account(id).await?.map(|a| self.remember(&a)))
    }

    /// The identity of the account with this wa_id, from memory when known.
    pub async fn identity_by_wa_id(&self, wa_id: &str) -> Result<Option<Identity>> {
        if let Some(id) = self.wa_ids.get(wa_id) {
            return self.identity(id).await;
        }
        Ok(self
            .store
            .account_by_wa_id(wa_id)
            .await?
            .map(|a| self.remember(&a)))
    }
}
