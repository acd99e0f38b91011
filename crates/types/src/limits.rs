//! Limits and quality on the wire: the Cloud API's `/{phone-number-id}/block_users` bodies in
//! Meta's shapes, the client API's blocks, reports and marketing opt-outs of a person, and the
//! admin API's view of a WABA's messaging limit tier and its numbers' quality ratings.

use serde::{Deserialize, Serialize};

/// `POST`/`DELETE /{phone-number-id}/block_users`: `{"messaging_product":"whatsapp",
/// "block_users":[{"user":"+16505551234"}]}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BlockUsersRequest {
    /// Must be `whatsapp`.
    #[serde(default)]
    pub messaging_product: Option<String>,
    /// The people, by phone number or wa_id.
    #[serde(default)]
    pub block_users: Option<Vec<BlockUserInput>>,
}

/// One person named in a block or unblock request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BlockUserInput {
    /// A phone number (`+16505551234`) or a wa_id (`16505551234`).
    #[serde(default)]
    pub user: String,
}

/// One person blocked or unblocked: what was asked and the wa_id it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedUserOperation {
    /// The `user` as given.
    pub input: String,
    /// Its wa_id.
    pub wa_id: String,
}

/// The answer to a block (`added_users`) or an unblock (`removed_users`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BlockUsersResult {
    /// People now blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_users: Option<Vec<BlockedUserOperation>>,
    /// People now unblocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_users: Option<Vec<BlockedUserOperation>>,
}

/// `{"messaging_product":"whatsapp","block_users":{"added_users":[…]}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockUsersResponse {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// What changed.
    pub block_users: BlockUsersResult,
}

/// One entry of `GET /{phone-number-id}/block_users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedUser {
    /// Always `whatsapp`.
    pub messaging_product: String,
    /// The blocked person.
    pub wa_id: String,
}

/// `PUT /client/v1/blocks/{wa_id}`: block someone, with an optional reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    /// Why (at most 200 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /client/v1/businesses/{wa_id}/report`: report a business number, blocking it too
/// unless `block` is false.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// Why (at most 200 characters; `spam` when absent).
    #[serde(default)]
    pub reason: Option<String>,
    /// Block as well (default true).
    #[serde(default)]
    pub block: Option<bool>,
}

/// `PUT /client/v1/businesses/{wa_id}/marketing`: opt out of (or back into) a business's
/// marketing templates.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketingPreference {
    /// True: no marketing templates from this business.
    pub opt_out: bool,
}

/// Where a person stands with another account: `GET /client/v1/blocks/{wa_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The other account.
    pub wa_id: String,
    /// Whether it is a business number.
    pub is_business: bool,
    /// The person blocked it.
    pub blocked: bool,
    /// The person reported it (businesses only).
    pub reported: bool,
    /// The person opted out of its marketing templates (businesses only).
    pub marketing_opt_out: bool,
}

/// One account a person blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockView {
    /// The blocked account.
    pub wa_id: String,
    /// Its name (a business's verified name).
    pub display_name: String,
    /// Whether it is a business number.
    pub is_business: bool,
    /// The reason given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When, Unix ms.
    pub blocked_at: i64,
}

/// `GET /client/v1/blocks`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BlockList {
    /// Newest first.
    pub data: Vec<BlockView>,
}

/// `PUT /admin/v1/businesses/{waba_id}/limits`: set a WABA's messaging limit tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierUpdate {
    /// `TIER_250`, `TIER_2K`, `TIER_10K`, `TIER_100K` or `TIER_UNLIMITED`.
    pub tier: String,
}

/// One change of a WABA's tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierChangeView {
    /// Before.
    pub old_tier: String,
    /// After.
    pub new_tier: String,
    /// `upgrade` (the 6-hourly evaluation) or `operator`.
    pub reason: String,
    /// When, Unix ms.
    pub at: i64,
}

/// A business number's quality rating and what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberQualityView {
    /// Phone-number id.
    pub id: String,
    /// Its number.
    pub display_phone_number: String,
    /// `GREEN`, `YELLOW` or `RED`.
    pub quality_rating: String,
    /// People who blocked or reported it in the last 7 days.
    pub signals: i64,
    /// People it messaged in the last 7 days.
    pub reach: i64,
}

/// `GET /admin/v1/businesses/{waba_id}/limits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitsView {
    /// The WABA (business portfolio).
    pub waba_id: String,
    /// Its tier.
    pub messaging_limit_tier: String,
    /// Unique recipients of business-initiated messages per rolling 24 hours (-1: unlimited).
    pub max_daily_conversations_per_business: i64,
    /// Unique recipients counted in the last 24 hours.
    pub unique_recipients_24h: i64,
    /// The highest count on any day of the last 7 (what upgrades look at).
    pub peak_7d: i64,
    /// When the next upgrade evaluation is due, Unix ms (none for unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_evaluation_at: Option<i64>,
    /// Its numbers' quality.
    pub numbers: Vec<NumberQualityView>,
    /// Tier changes, newest first.
    pub history: Vec<TierChangeView>,
}
