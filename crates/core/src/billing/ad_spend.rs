//! Ad spend: the status domain charges each impression of a click-to-chat ad campaign to its
//! WABA's ledger as an entry of kind `ad_spend` (the impression's exact cost in micros, the
//! campaign named in its note). The status domain writes the entry in the same transaction
//! that counts the impression, so billing only shapes it here and, once it is written, checks
//! the balance as after any other charge.

use super::rows::LedgerEntry;
use super::Billing;
use crate::error::Result;

/// The ledger kind of an ad impression's charge.
pub const AD_SPEND: &str = "ad_spend";

impl Billing {
    /// The currency and time zone of a WABA's billing account.
    pub async fn ad_terms(&self, waba_id: i64) -> Result<(String, String)> {
        let account = self.billing_account(waba_id).await?;
        Ok((account.currency, account.timezone))
    }

    /// The ledger entry charging one impression of `campaign_id` run by `number_id`.
    pub fn ad_spend_entry(
        &self,
        waba_id: i64,
        number_id: i64,
        campaign_id: i64,
        micros: i64,
        currency: &str,
    ) -> LedgerEntry {
        LedgerEntry {
            id: self.ground.ids.next(),
            waba_id,
            kind: AD_SPEND.into(),
            message_id: None,
            recipient_id: None,
            phone_number_id: Some(number_id),
            country: None,
            market: None,
            category: None,
            pricing_type: None,
            tier: None,
            card_id: None,
            template_id: None,
            amount_micros: -micros,
            currency: currency.to_string(),
            note: Some(format!("ad campaign {campaign_id}")),
            actor: None,
            at: self.ground.now(),
        }
    }

    /// An `ad_spend` entry of the WABA was written: its balance changed.
    pub async fn ad_spend_written(&self, waba_id: i64) -> Result<()> {
        self.forget_rating_account(waba_id);
        self.check_low_balance(waba_id).await?;
        Ok(())
    }
}
