//! Balances, ledger entries and monthly invoices as the admin API
//! (`/admin/v1/businesses/{id}/billing…`), the console (`/console/v1/billing…`) and
//! `wasla admin billing … --json` show them. Amounts are integers: `*_micros` in millionths of
//! the currency unit (the ledger's unit), `*_minor` in the currency's minor units (cents) after
//! the invoice's one rounding; `amount` strings are the same value written as an exact decimal.

use serde::{Deserialize, Serialize};

/// A WABA's billing account: its balance and the terms it is held to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingAccount {
    /// The WABA.
    pub waba_id: String,
    /// ISO 4217 code of its rate card's currency.
    pub currency: String,
    /// Sum of every ledger entry (top-ups positive, charges negative), in micros.
    pub balance_micros: i64,
    /// The balance as an exact decimal (`"12.5"`).
    pub balance: String,
    /// How far below zero the balance may go, in micros; `null` for no limit (then sends
    /// never fail for want of funds and no low-balance warning is given).
    pub credit_limit_micros: Option<i64>,
    /// What can still be spent: balance plus credit limit, in micros (`null` with no limit).
    pub available_micros: Option<i64>,
    /// A warning is given when the available amount drops below this, in micros.
    pub low_balance_threshold_micros: i64,
    /// Set while the available amount is below the threshold: since when.
    pub low_balance: Option<LowBalance>,
    /// The time zone its months (and invoices) follow, e.g. `Europe/Berlin`.
    pub timezone: String,
}

/// A standing low-balance warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LowBalance {
    /// When the available amount crossed below the threshold, Unix ms.
    pub since: i64,
    /// A sentence for the console's banner.
    pub message: String,
}

/// Changes to a WABA's billing terms (absent fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingTerms {
    /// Credit limit: minor units as an integer, a decimal string in currency units, or
    /// `"none"` for no limit.
    #[serde(default)]
    pub credit_limit: Option<serde_json::Value>,
    /// Low-balance threshold: minor units as an integer or a decimal string.
    #[serde(default)]
    pub low_balance_threshold: Option<serde_json::Value>,
    /// IANA time zone for months and invoices.
    #[serde(default)]
    pub timezone: Option<String>,
}

/// A top-up or an adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLedgerEntry {
    /// Minor units as an integer (`1250` is 12.50), or an exact decimal string in currency
    /// units (`"12.50"`, up to six decimals). Top-ups must be positive; adjustments may be
    /// negative.
    pub amount: serde_json::Value,
    /// Why (shown on the invoice).
    #[serde(default)]
    pub note: Option<String>,
    /// Who, beyond the operator token (a name for the record).
    #[serde(default)]
    pub actor: Option<String>,
}

/// One ledger entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Entry id.
    pub id: String,
    /// `message`, `top_up`, `adjustment`, `ad_spend` or `call`.
    pub kind: String,
    /// Signed amount in micros (charges negative).
    pub amount_micros: i64,
    /// The same as an exact decimal.
    pub amount: String,
    /// Currency.
    pub currency: String,
    /// Pricing category of a message charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Market of a message charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// The note of a top-up or adjustment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made a top-up or adjustment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// When, Unix ms.
    pub at: i64,
}

/// A page of ledger entries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerPage {
    /// The entries.
    pub data: Vec<LedgerEntry>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<String>,
}

/// One invoice line: charges of one kind, category and market in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// `message`, `ad_spend` or `call`.
    pub kind: String,
    /// Pricing category (`marketing`, `utility`, …); empty when the kind has none.
    pub category: String,
    /// Market (`Germany`, `Rest of Western Europe`, …); empty when the kind has none.
    pub market: String,
    /// How many ledger entries (delivered messages per recipient).
    pub count: i64,
    /// Their exact sum as a cost (positive), in micros.
    pub amount_micros: i64,
    /// That sum rounded half-to-even to minor units: the billed amount.
    pub amount_minor: i64,
    /// The billed amount as a decimal string.
    pub amount: String,
}

/// A top-up or adjustment listed on the invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceCredit {
    /// Entry id.
    pub id: String,
    /// `top_up` or `adjustment`.
    pub kind: String,
    /// When, Unix ms.
    pub at: i64,
    /// Signed amount in micros.
    pub amount_micros: i64,
    /// Rounded half-to-even to minor units.
    pub amount_minor: i64,
    /// As a decimal string.
    pub amount: String,
    /// Why.
    pub note: Option<String>,
    /// Who.
    pub actor: Option<String>,
}

/// A WABA's invoice for one calendar month in its time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    /// The WABA.
    pub waba_id: String,
    /// Its name.
    pub business_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The time zone the month is taken in.
    pub timezone: String,
    /// First instant of the month, Unix ms.
    pub period_start: i64,
    /// First instant of the next month, Unix ms (exclusive).
    pub period_end: i64,
    /// Currency of every amount.
    pub currency: String,
    /// Digits after the decimal point in minor units (2 for USD).
    pub minor_digits: u32,
    /// Charges by kind, category and market.
    pub lines: Vec<InvoiceLine>,
    /// Top-ups and adjustments, oldest first.
    pub credits: Vec<InvoiceCredit>,
    /// Sum of the lines' exact micros: equals minus the month's charges in the ledger.
    pub charges_micros: i64,
    /// Sum of the lines' rounded amounts: what is billed.
    pub total_minor: i64,
    /// The billed total as a decimal string.
    pub total: String,
    /// Sum of the credits' exact micros.
    pub credits_micros: i64,
    /// Balance before the month, in micros.
    pub opening_balance_micros: i64,
    /// Balance after the month, in micros (opening + credits − charges).
    pub closing_balance_micros: i64,
}
