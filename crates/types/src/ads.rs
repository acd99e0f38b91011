//! Ads on Status and click-to-chat ads: campaigns as the console and the operator see them,
//! their daily counters, the ads placed in a person's Status feed, the answer to a tap or a
//! link open, and the `referral` object a business's inbound-message webhook carries when a
//! person writes in from an ad (Meta's `ReferralObject`). Money is in integer minor units of
//! the WABA's billing currency, spend also in exact micros (millionths of the currency unit).

use serde::{Deserialize, Serialize};

/// A campaign's creative: the image or video shown in the ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Creative {
    /// `image` or `video`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where its bytes are (public, like the ad's page).
    pub url: String,
    /// A still picture of it (the image itself for an image).
    pub thumbnail_url: String,
}

/// A click-to-chat ad campaign of a WABA's phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Campaign id (numeric string; the `source_id` of its referrals).
    pub id: String,
    /// `pending_review`, `approved`, `rejected`, `paused` or `ended`.
    pub status: String,
    /// Why the operator rejected it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// The image or video.
    pub creative: Creative,
    /// The business's own name for it (never shown to people).
    pub name: String,
    /// The ad's headline.
    pub headline: String,
    /// The ad's primary text.
    pub body: String,
    /// The button's label (`Message us` by default).
    pub button_text: String,
    /// Shown in the chat as the business's greeting when a person taps the ad.
    pub welcome_message: String,
    /// ISO 3166 region codes it targets (empty: every country).
    pub countries: Vec<String>,
    /// Language codes it targets (empty: every language).
    pub languages: Vec<String>,
    /// When it may start showing, Unix ms (none: once approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<i64>,
    /// When it stops showing, Unix ms (none: until ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<i64>,
    /// Most it may spend in one day (in the WABA's time zone), minor units.
    pub daily_budget: i64,
    /// What a thousand impressions cost, minor units.
    pub bid_cpm: i64,
    /// The WABA's billing currency (ISO 4217).
    pub currency: String,
    /// The click-to-chat link (`…/ad/{code}`).
    pub link: String,
    /// An HTML button that opens the link, to paste into a web page.
    pub snippet: String,
    /// The link as a QR code PNG.
    pub qr_url: String,
    /// The business number people chat with.
    pub phone_number_id: String,
    /// How many reports people filed about it (the operator reviews them).
    pub reports: i64,
    /// Created, Unix ms.
    pub created_at: i64,
    /// Daily counters, newest day first (only when one campaign is read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<CampaignDay>,
}

/// One day's counters of a campaign (the day in the WABA's time zone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Times it was shown.
    pub impressions: i64,
    /// Taps on it in Status and opens of its link or QR code.
    pub taps: i64,
    /// Chats whose first message came from it.
    pub chats_started: i64,
    /// What was spent, in minor units (rounded down; the exact figure is `spend_micros`).
    pub spend: i64,
    /// What was spent, exactly, in micros (as the billing ledger has it).
    pub spend_micros: i64,
}

/// Campaigns, for lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaigns {
    /// The campaigns, newest first.
    pub data: Vec<Campaign>,
}

/// `PATCH /console/v1/ads/campaigns/{id}`: pause or resume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignUpdate {
    /// `paused` or `approved` (resume). An ended, rejected or pending campaign cannot change.
    pub status: String,
}

/// `POST /admin/v1/ads/campaigns/{id}/reject` and `POST /client/v1/ads/{id}/report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Why (1 to 500 characters).
    pub reason: String,
}

/// A report people filed about a campaign, as the operator reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdReport {
    /// The campaign.
    pub campaign_id: String,
    /// Why.
    pub reason: String,
    /// Unix ms.
    pub created_at: i64,
}

/// The business behind an ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdBusiness {
    /// The business number's wa_id.
    pub wa_id: String,
    /// Its name.
    pub name: String,
}

/// An ad's media in the Status feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdMedia {
    /// `image` or `video`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where its bytes are.
    pub url: String,
    /// A still picture of it.
    pub thumbnail_url: String,
}

/// An ad as a person sees it between Status updates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ad {
    /// An opaque placement id for impression, tap, hide and report.
    pub id: String,
    /// Who advertises.
    pub business: AdBusiness,
    /// The headline.
    pub headline: String,
    /// The primary text.
    pub body: String,
    /// The button's label.
    pub button_text: String,
    /// The image or video.
    pub media: AdMedia,
    /// Always true: shown as "Sponsored".
    pub sponsored: bool,
}

/// An ad's place in the Status feed: shown after the contacts' row at index `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedAd {
    /// Index into the feed's `contacts` after which the ad goes.
    pub after: usize,
    /// The ad.
    pub ad: Ad,
}

/// The answer to a tap on an ad (`POST /client/v1/ads/{id}/tap`) or an open of its link
/// (`POST /client/v1/ads/links/{code}/open`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdOpen {
    /// The person's chat with the business number (created when new).
    pub chat_id: String,
    /// The business's greeting, shown in the chat as a message from the business; it is not
    /// stored as a message (display only) and is not sent to the business's webhook.
    pub welcome_message: String,
    /// The token to put in the `referral` field of the person's first message in that chat.
    pub referral: String,
    /// The business behind it.
    pub business: AdBusiness,
    /// The ad's headline (for "came from ad …").
    pub headline: String,
}

/// Where a chat came from, as the console shows it ("came from ad …").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdOrigin {
    /// The campaign.
    pub campaign_id: String,
    /// Its headline.
    pub headline: String,
    /// `status` (tapped in Status) or `link` (the link or its QR code).
    pub via: String,
    /// When the first message came, Unix ms.
    pub at: i64,
}

/// `welcome_message` of a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelcomeMessage {
    /// The greeting text.
    pub text: String,
}

/// Meta's `referral` object on an inbound message that came from a click-to-chat ad.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// The ad's URL (its click-to-chat link).
    pub source_url: String,
    /// The campaign id.
    pub source_id: String,
    /// Always `ad` here.
    pub source_type: String,
    /// The ad's primary text.
    pub body: String,
    /// The ad's headline.
    pub headline: String,
    /// `image` or `video`.
    pub media_type: String,
    /// The image (image ads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The video (video ads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// The video's still picture (video ads only, as Meta sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// The click id of a link or QR code open; absent for ads tapped in Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctwa_clid: Option<String>,
    /// The ad's greeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_message: Option<WelcomeMessage>,
}
