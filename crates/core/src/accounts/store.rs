//! The accounts domain's storage: accounts, codes and sessions, uploads, and privacy
//! settings.

use super::rows::*;
use crate::error::Result;
use async_trait::async_trait;

/// People and business numbers, sessions and verification codes.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Insert an account; `Conflict` if the wa_id is taken.
    async fn create_account(&self, row: &AccountRow) -> Result<()>;
    /// By row id.
    async fn account(&self, id: i64) -> Result<Option<AccountRow>>;
    /// By wa_id.
    async fn account_by_wa_id(&self, wa_id: &str) -> Result<Option<AccountRow>>;
    /// Several by id, in no particular order.
    async fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>>;
    /// Replace the profile fields and append a profile event; returns the event.
    async fn update_profile(&self, row: &AccountRow, now: i64) -> Result<EventSeq>;
    /// Record when an account was last online.
    async fn set_last_seen(&self, id: i64, at: i64) -> Result<()>;
    /// Store (replace) the pending code for a number.
    async fn put_code(&self, row: &CodeRow) -> Result<()>;
    /// The pending code for a number.
    async fn code(&self, phone: &str) -> Result<Option<CodeRow>>;
    /// Count a wrong guess.
    async fn bump_code_attempts(&self, phone: &str) -> Result<()>;
    /// Forget the code.
    async fn delete_code(&self, phone: &str) -> Result<()>;
    /// Record a session by its token hash.
    async fn create_session(&self, row: &SessionRow, token_hash: &str) -> Result<()>;
    /// The live session with this token hash.
    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    /// Revoke a session.
    async fn revoke_session(&self, id: i64, at: i64) -> Result<()>;
}

/// Media metadata (bytes live in a [`crate::blob::BlobStore`]).
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Insert.
    async fn insert_media(&self, row: &MediaRow) -> Result<()>;
    /// By id.
    async fn media(&self, id: i64) -> Result<Option<MediaRow>>;
    /// Forget a media object (its bytes are removed separately).
    async fn delete_media(&self, id: i64) -> Result<()>;
    /// Whether the account uploaded it, or it was sent in a chat the account can read, or
    /// it is the photo of an account or chat.
    async fn media_visible_to(&self, media_id: i64, account_id: i64) -> Result<bool>;
}

/// People's privacy settings, and what decides who sees what of a profile.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// The settings of those among `ids` who ever saved some (the others have the defaults).
    async fn privacy_settings(&self, ids: &[i64]) -> Result<Vec<(i64, PrivacyRow)>>;
    /// Save one account's settings.
    async fn save_privacy(&self, account_id: i64, row: &PrivacyRow, now: i64) -> Result<()>;
    /// How each of `subjects` that shares a chat with `viewer` (both still members) relates
    /// to them: [`Relation::Contact`] when they have a direct chat, else
    /// [`Relation::SharesChat`]. Subjects sharing nothing are left out.
    async fn relations(&self, viewer: i64, subjects: &[i64]) -> Result<Vec<(i64, Relation)>>;
    /// The accounts whose profile photo is media `media_id`.
    async fn photo_owners(&self, media_id: i64) -> Result<Vec<i64>>;
}

/// People's contacts: the editable list, and who has a direct chat with whom.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// A person's contacts (people on their list or with a direct chat with them), by name.
    async fn contacts(&self, owner: i64) -> Result<Vec<ContactRow>>;
    /// Put a person on an owner's list (again is fine).
    async fn add_contact(&self, owner: i64, contact: i64, at: i64) -> Result<()>;
    /// Take a person off an owner's list; false if they were not on it.
    async fn remove_contact(&self, owner: i64, contact: i64) -> Result<bool>;
    /// The people whose contacts include `contact` (by chat or by their list).
    async fn contact_owners(&self, contact: i64) -> Result<Vec<i64>>;
    /// The accounts an account has a direct chat with.
    async fn direct_peers(&self, account: i64) -> Result<Vec<PeerRow>>;
    /// The people with a direct chat with any of `accounts`.
    async fn people_chatting_with(&self, accounts: &[i64]) -> Result<Vec<i64>>;
}

/// Everything the accounts domain stores.
pub trait AccountsStorage: AccountStore + MediaStore + PrivacyStore + ContactStore {}
impl<T: AccountStore + MediaStore + PrivacyStore + ContactStore> AccountsStorage for T {}
