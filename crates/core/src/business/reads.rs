//! What other domains read of businesses: a WABA's row and its phone numbers. Thin reads of
//! the business store, so no other domain touches it.

use super::Business;
use crate::accounts::AccountRow;
use crate::business::BusinessProfileRow;
use crate::business::WabaRow;
use crate::error::Result;

impl Business {
    /// Business numbers of a WABA.
    pub async fn phone_numbers(&self, waba_id: i64) -> Result<Vec<AccountRow>> {
        self.store.phone_numbers(waba_id).await
    }

    /// By id.
    pub async fn waba_row(&self, id: i64) -> Result<Option<WabaRow>> {
        self.store.waba(id).await
    }
}

impl Business {
    /// A business number's profile fields (defaults when never set).
    pub async fn profile_row(&self, account_id: i64) -> Result<BusinessProfileRow> {
        self.store.business_profile(account_id).await
    }
}
