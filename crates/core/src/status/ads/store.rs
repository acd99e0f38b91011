//! The storage of ads: campaigns, daily counters, frequency-cap rows, hidden ads, reports,
//! referral tokens and chat origins. Counters change in the same transaction as what they
//! count.

use super::rows::*;
use crate::error::Result;
use async_trait::async_trait;

/// Campaigns and everything counted about them.
#[async_trait]
pub trait AdStore: Send + Sync {
    /// Insert a new campaign.
    async fn insert_campaign(&self, row: &CampaignRow) -> Result<()>;
    /// A campaign by id.
    async fn campaign(&self, id: i64) -> Result<Option<CampaignRow>>;
    /// A campaign by its link's code.
    async fn campaign_by_code(&self, code: &str) -> Result<Option<CampaignRow>>;
    /// Campaigns of a WABA, newest first.
    async fn campaigns_of(&self, waba_id: i64) -> Result<Vec<CampaignRow>>;
    /// Campaigns in a status (all when none), newest first, at most `limit`.
    async fn campaigns_in(&self, status: Option<&str>, limit: i64) -> Result<Vec<CampaignRow>>;
    /// Approved campaigns that may run at `now` (schedule only; targeting is checked after).
    async fn running_campaigns(&self, now: i64) -> Result<Vec<CampaignRow>>;
    /// Move a campaign from one of `from` to `to` (with a rejection reason); false when it was
    /// in none of them.
    async fn set_campaign_status(
        &self,
        id: i64,
        from: &[&str],
        to: &str,
        reason: Option<&str>,
        at: i64,
    ) -> Result<bool>;
    /// A campaign's days, newest first.
    async fn ad_days(&self, campaign_id: i64) -> Result<Vec<AdDayRow>>;
    /// One day of a campaign (zeros when nothing happened).
    async fn ad_day(&self, campaign_id: i64, day: &str) -> Result<AdDayRow>;
    /// How many reports each campaign has.
    async fn report_counts(&self, campaign_ids: &[i64]) -> Result<Vec<(i64, i64)>>;
    /// A campaign's reports, newest first: (reason, at).
    async fn reports(&self, campaign_id: i64) -> Result<Vec<(String, i64)>>;
    /// Impressions a person had of each campaign on the given days: (campaign, shown).
    async fn shown_today(&self, person_id: i64, days: &[(i64, String)]) -> Result<Vec<(i64, i64)>>;
    /// Campaigns the person hid.
    async fn hidden_by(&self, person_id: i64) -> Result<Vec<i64>>;
    /// Count, charge and cap one impression in one transaction.
    async fn record_impression(&self, write: &ImpressionWrite) -> Result<ImpressionOutcome>;
    /// Hide a campaign for a person for good.
    async fn hide_ad(&self, person_id: i64, campaign_id: i64) -> Result<()>;
    /// File (or replace) a person's report about a campaign.
    async fn report_ad(
        &self,
        person_id: i64,
        campaign_id: i64,
        reason: &str,
        at: i64,
    ) -> Result<()>;
    /// Store a referral token and count the tap on `day`, in one transaction.
    async fn insert_referral(&self, row: &ReferralRow, day: &str) -> Result<()>;
    /// A referral token.
    async fn referral(&self, token: &str) -> Result<Option<ReferralRow>>;
    /// Mark a token used, record the chat's origin (if it has none) and count the chat on
    /// `day`, in one transaction; false when the token was used already.
    async fn use_referral(&self, token: &str, origin: &ChatOriginRow, day: &str) -> Result<bool>;
    /// The ad origins of chats.
    async fn chat_origins(&self, chat_ids: &[i64]) -> Result<Vec<ChatOriginRow>>;
    /// Delete frequency rows of days that ended at or before `now`, and referral tokens
    /// handed out before `tokens_before`; how many rows went.
    async fn sweep_ads(&self, now: i64, tokens_before: i64) -> Result<u64>;
    /// Frequency rows still stored (for tests and metrics).
    async fn frequency_rows(&self) -> Result<i64>;
}
