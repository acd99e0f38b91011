//! Admin API shapes of rate cards and pricing terms (`/admin/v1/billing/cards…`,
//! `/admin/v1/billing/accounts/{waba_id}/card`) and of rated messages.

use serde::{Deserialize, Serialize};

/// `POST /admin/v1/billing/cards`: a card version to import.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardImport {
    /// Card name (`default`, or a custom card's name).
    pub name: String,
    /// First day it applies, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Where its rates come from.
    pub source: String,
    /// The card in CSV (`docs/billing.md`).
    pub csv: String,
}

/// A card version as listed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// First day it applies, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Where its rates come from.
    pub source: String,
    /// How many rates it has.
    pub rows: usize,
}

/// The list of card versions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardList {
    /// Oldest first.
    pub data: Vec<CardView>,
}

/// One problem of a refused card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardProblem {
    /// CSV line (1 = header; 0 = the card as a whole).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// A refused card: `{"error": {"code": "bad_request", "message", "problems": […]}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardRefusal {
    /// `bad_request`.
    pub code: String,
    /// Summary.
    pub message: String,
    /// Every problem, by line.
    pub problems: Vec<CardProblem>,
}

/// `PUT /admin/v1/billing/accounts/{waba_id}/card`: the card a WABA is rated on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingTerms {
    /// Card name.
    pub card_name: String,
    /// Discount on every rate, basis points (0 to 10,000).
    #[serde(default)]
    pub discount_bp: i64,
}

/// A rated message (a ledger row of kind `message`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RatedMessage {
    /// The wamid.
    pub wamid: String,
    /// Recipient's wa_id is not kept; their account id.
    pub recipient_id: String,
    /// Sending number.
    pub phone_number_id: String,
    /// Region code.
    pub country: String,
    /// Card market.
    pub market: String,
    /// Pricing category.
    pub category: String,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    pub pricing_type: String,
    /// Volume tier (`tier_from`).
    pub tier: String,
    /// Signed micros (a charge is negative).
    pub amount_micros: i64,
    /// ISO 4217.
    pub currency: String,
    /// When it was rated, Unix ms.
    pub at: i64,
}

/// A WABA's rated messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RatedList {
    /// Oldest first.
    pub data: Vec<RatedMessage>,
    /// Messages sent and not yet rated (not delivered).
    pub unrated: i64,
}
