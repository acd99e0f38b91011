//! The rows of ads: campaigns, their daily counters, what an impression writes, referral tokens
//! and the ad a chat came from.

/// A click-to-chat ad campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRow {
    /// Campaign id.
    pub id: i64,
    /// The WABA that runs it.
    pub waba_id: i64,
    /// The business number's account id (people chat with it).
    pub number_id: i64,
    /// Short code of its click-to-chat link.
    pub code: String,
    /// The business's own name for it.
    pub name: String,
    /// `pending_review`, `approved`, `rejected`, `paused` or `ended`.
    pub status: String,
    /// Why the operator rejected it.
    pub rejection_reason: Option<String>,
    /// The creative (a media row of the business number).
    pub media_id: i64,
    /// `image` or `video`.
    pub media_kind: String,
    /// A still picture for a video (a media row), when the business gave one.
    pub thumbnail_id: Option<i64>,
    /// Headline.
    pub headline: String,
    /// Primary text.
    pub body: String,
    /// Button label.
    pub button_text: String,
    /// Greeting shown in the chat after a tap.
    pub welcome_message: String,
    /// Targeted region codes (empty: all).
    pub countries: Vec<String>,
    /// Targeted language codes (empty: all).
    pub languages: Vec<String>,
    /// Earliest showing, Unix ms.
    pub starts_at: Option<i64>,
    /// Latest showing, Unix ms.
    pub ends_at: Option<i64>,
    /// Daily budget, minor units.
    pub daily_budget: i64,
    /// Cost of 1,000 impressions, minor units.
    pub bid_cpm: i64,
    /// ISO 4217 currency (the WABA's billing currency).
    pub currency: String,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Last changed, Unix ms.
    pub updated_at: i64,
}

/// One day's counters of a campaign.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdDayRow {
    /// `YYYY-MM-DD` in the WABA's time zone.
    pub day: String,
    /// Impressions.
    pub impressions: i64,
    /// Taps and link opens.
    pub taps: i64,
    /// Chats whose first message came from the campaign.
    pub chats_started: i64,
    /// Spend in micros.
    pub spend_micros: i64,
}

/// What recording one impression writes, in one transaction, when both limits allow it.
#[derive(Debug, Clone)]
pub struct ImpressionWrite {
    /// The campaign.
    pub campaign_id: i64,
    /// The person who saw it.
    pub person_id: i64,
    /// The campaign's day.
    pub day: String,
    /// When that day ends, Unix ms (its frequency row goes then).
    pub day_ends_at: i64,
    /// Impressions a person may get of it per day.
    pub cap: i64,
    /// The day's spend in micros may not pass this after the impression.
    pub spend_allowed_micros: i64,
    /// The ledger entry charging it (its amount is minus the impression's cost).
    pub ledger: crate::billing::LedgerEntry,
}

/// Why an impression was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpressionOutcome {
    /// Counted and charged.
    Recorded,
    /// The person already saw it as often as the cap allows today.
    Capped,
    /// The campaign's pace or budget for now is spent.
    Paced,
}

/// A referral token handed out on a tap in Status or an open of the link.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRow {
    /// The opaque token.
    pub token: String,
    /// The campaign.
    pub campaign_id: i64,
    /// The person it is bound to.
    pub person_id: i64,
    /// The chat it is bound to.
    pub chat_id: i64,
    /// `status` or `link`.
    pub via: String,
    /// The click id of a link open.
    pub ctwa_clid: Option<String>,
    /// Handed out, Unix ms.
    pub created_at: i64,
    /// When the first message carried it.
    pub used_at: Option<i64>,
}

/// The ad a chat came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatOriginRow {
    /// The chat.
    pub chat_id: i64,
    /// The campaign.
    pub campaign_id: i64,
    /// `status` or `link`.
    pub via: String,
    /// When its first message came.
    pub at: i64,
}
