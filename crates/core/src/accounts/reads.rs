//! What other domains read and write of accounts: rows by id and wa_id, new accounts, and
//! uploads with who may read them. Thin reads of the accounts store, so no other domain
//! touches it.

use super::Accounts;
use crate::accounts::AccountRow;
use crate::accounts::MediaRow;
use crate::error::Result;

impl Accounts {
    /// By row id.
    pub async fn account(&self, id: i64) -> Result<Option<AccountRow>> {
        self.store.account(id).await
    }

    /// By wa_id.
    pub async fn account_by_wa_id(&self, wa_id: &str) -> Result<Option<AccountRow>> {
        self.store.account_by_wa_id(wa_id).await
    }

    /// Several by id, in no particular order.
    pub async fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>> {
        self.store.accounts(ids).await
    }

    /// Insert an account; `Conflict` if the wa_id is taken.
    pub async fn create_account(&self, row: &AccountRow) -> Result<()> {
        self.store.create_account(row).await
    }

    /// Forget a media object (its bytes are removed separately).
    pub async fn delete_media(&self, id: i64) -> Result<()> {
        self.store.delete_media(id).await
    }

    /// By id.
    pub async fn media(&self, id: i64) -> Result<Option<MediaRow>> {
        self.store.media(id).await
    }

    /// Whether the account uploaded it, or it was sent in a chat the account can read, or
    /// it is the photo of an account or chat.
    pub async fn media_visible_to(&self, media_id: i64, account_id: i64) -> Result<bool> {
        self.store.media_visible_to(media_id, account_id).await
    }
}
