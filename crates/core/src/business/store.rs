//! The business domain's storage: WABAs, apps, business tokens, profiles and subscriptions.

use super::audit::AuditStore;
use super::rows::*;
use crate::accounts::AccountRow;
use crate::error::Result;
use async_trait::async_trait;

/// WABAs, apps and business tokens (phone numbers are business accounts), and the audit log.
#[async_trait]
pub trait BusinessStore: AuditStore + Send + Sync {
    /// Insert a WABA.
    async fn create_waba(&self, row: &WabaRow) -> Result<()>;
    /// By id.
    async fn waba(&self, id: i64) -> Result<Option<WabaRow>>;
    /// All WABAs.
    async fn wabas(&self) -> Result<Vec<WabaRow>>;
    /// Business numbers of a WABA.
    async fn phone_numbers(&self, waba_id: i64) -> Result<Vec<AccountRow>>;
    /// Insert an app.
    async fn create_app(&self, row: &AppRow) -> Result<()>;
    /// Apps of a WABA.
    async fn apps(&self, waba_id: i64) -> Result<Vec<AppRow>>;
    /// Change an app's webhook URL and verify token.
    async fn set_app_webhook(&self, id: i64, webhook_url: &str, verify_token: &str) -> Result<()>;
    /// Record a business token by its hash.
    async fn create_business_token(
        &self,
        id: i64,
        waba_id: i64,
        token_hash: &str,
        at: i64,
    ) -> Result<()>;
    /// The WABA of a live business token.
    async fn business_token(&self, token_hash: &str) -> Result<Option<i64>>;
    /// A business number's profile fields (defaults when never set).
    async fn business_profile(&self, account_id: i64) -> Result<BusinessProfileRow>;
    /// Save a business number's profile and its about line and photo.
    async fn save_business_profile(
        &self,
        account: &AccountRow,
        profile: &BusinessProfileRow,
    ) -> Result<()>;
    /// Subscribe or unsubscribe every app of a WABA to its webhooks.
    async fn set_subscribed(&self, waba_id: i64, subscribed: bool) -> Result<()>;
    /// Set or clear the WABA's callback override (and its verify token).
    async fn set_callback_override(
        &self,
        waba_id: i64,
        uri: Option<&str>,
        verify_token: Option<&str>,
    ) -> Result<()>;
    /// The WABA's subscribed apps and its callback override.
    async fn subscriptions(&self, waba_id: i64) -> Result<(Vec<AppRow>, Option<String>)>;
    /// Revoke a business token; false if there was none.
    async fn revoke_business_token(&self, id: i64, at: i64) -> Result<bool>;
}
