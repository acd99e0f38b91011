//! Rows of the billing domain, shared by its concerns: rate cards and their rows, a WABA's
//! billing account, ledger entries, and the charge plan a business message carries from its
//! send to its delivery. Amounts and rates are integers in micros (millionths of the card's
//! currency unit): USD 0.0034 is 3,400 micros.

use serde::{Deserialize, Serialize};

/// Millionths of a currency unit in one unit.
pub const MICROS_PER_UNIT: i64 = 1_000_000;

/// The pricing categories a card prices.
pub const CATEGORIES: [&str; 5] = [
    "marketing",
    "utility",
    "authentication",
    "authentication_international",
    "service",
];

/// Categories every card must price for every market (directly or through `Other`).
pub const REQUIRED_CATEGORIES: [&str; 3] = ["marketing", "utility", "authentication"];

/// A rate card version: a name, a currency and the day it takes effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateCard {
    /// Row id.
    pub id: i64,
    /// The card's name (`default`, or a custom card a WABA is given).
    pub name: String,
    /// ISO 4217 currency of its rates.
    pub currency: String,
    /// When it takes effect, Unix ms (00:00 UTC of its day).
    pub effective_from: i64,
    /// Where its rates come from.
    pub source: String,
    /// When it was imported, Unix ms.
    pub created_at: i64,
}

/// One rate of a card: a market, a category and the month's volume from which it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    /// A country's name or a regional bucket (`Rest of Western Europe`, `Other`).
    pub market: String,
    /// `marketing`, `utility`, `authentication`, `authentication_international`, `service`.
    pub category: String,
    /// The month's volume (messages of the category) from which this rate applies; 0 = base.
    pub tier_from: i64,
    /// Micros per delivered message.
    pub rate_micros: i64,
}

/// A card with its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct CardWithRows {
    /// The card.
    pub card: RateCard,
    /// Its rates.
    pub rows: Vec<RateRow>,
}

/// A WABA's billing account (a WABA without one is rated on the default card, unlimited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingAccountRow {
    /// The WABA.
    pub waba_id: i64,
    /// Name of the card it is rated on.
    pub card_name: String,
    /// Discount on every rate, basis points (100 = 1 %).
    pub discount_bp: i64,
    /// How far the balance may go below zero, micros; `None`: not enforced.
    pub credit_limit_micros: Option<i64>,
    /// Warn below this balance, micros.
    pub low_balance_micros: i64,
    /// When the last low-balance warning went out.
    pub low_balance_warned_at: Option<i64>,
    /// IANA time zone its months, rule switches and invoices follow.
    pub timezone: String,
    /// Last change, Unix ms.
    pub updated_at: i64,
}

/// One ledger entry (a rated message, a top-up, an adjustment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Row id.
    pub id: i64,
    /// The WABA whose balance it changes.
    pub waba_id: i64,
    /// `message`, `top_up`, `adjustment`.
    pub kind: String,
    /// The rated message.
    pub message_id: Option<i64>,
    /// The recipient it was delivered to.
    pub recipient_id: Option<i64>,
    /// The business number that sent it.
    pub phone_number_id: Option<i64>,
    /// Recipient's region code (`DE`).
    pub country: Option<String>,
    /// The card's market for it.
    pub market: Option<String>,
    /// Pricing category.
    pub category: Option<String>,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    pub pricing_type: Option<String>,
    /// The volume tier (`tier_from` of the rate used).
    pub tier: Option<String>,
    /// The card version.
    pub card_id: Option<i64>,
    /// The template sent.
    pub template_id: Option<i64>,
    /// Signed micros: a charge is negative.
    pub amount_micros: i64,
    /// Currency of the amount.
    pub currency: String,
    /// Free text (adjustments).
    pub note: Option<String>,
    /// Who made it (adjustments).
    pub actor: Option<String>,
    /// Unix ms.
    pub at: i64,
}

/// What delivering one business message to one recipient will cost, decided when it is
/// sent (rules, market, card, window) and finished when it is delivered (the month's volume
/// tier in the WABA's time zone). Stored as JSON with the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargePlan {
    /// Id of the ledger row the delivery writes.
    pub ledger_id: i64,
    /// The WABA charged.
    pub waba_id: i64,
    /// The business number that sent it.
    pub phone_number_id: i64,
    /// Recipient's region code.
    pub country: String,
    /// The card's market.
    pub market: String,
    /// Pricing category as reported (`referral_conversion` inside a free entry point).
    pub category: String,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    pub pricing_type: String,
    /// `PMP` or `CBP`.
    pub pricing_model: String,
    /// The card version.
    pub card_id: Option<i64>,
    /// The template sent.
    pub template_id: Option<i64>,
    /// Currency of the card.
    pub currency: String,
    /// (tier_from, micros) of the category in the market, ascending; empty when free.
    pub tiers: Vec<(i64, i64)>,
    /// Discount, basis points.
    pub discount_bp: i64,
    /// The WABA's time zone (months for tiers).
    pub timezone: String,
    /// Service messages free per number and month before they are charged (`None`: all
    /// free); beyond it they cost `overage` (the utility base rate).
    pub service_allowance: Option<i64>,
    /// Rate of a service message beyond the allowance, micros.
    pub overage_micros: i64,
}
