//! Analytics shapes: the WABA node's `analytics`, `pricing_analytics` and `template_analytics`
//! fields as the Cloud API returns them (costs as decimal numbers in the WABA's currency), the
//! console's Billing page data and the operator's revenue report (costs there as decimal
//! strings beside integer micros, so nothing downstream has to compute money in floats).

use serde::{Deserialize, Serialize};
use serde_json::Number;

/// `analytics`: messages sent and delivered per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageAnalytics {
    /// The phone numbers (digits) the points cover.
    pub phone_numbers: Vec<String>,
    /// The countries (ISO 3166 alpha-2) the points were limited to, when the query named any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_codes: Option<Vec<String>>,
    /// `HALF_HOUR`, `DAY` or `MONTH`.
    pub granularity: String,
    /// One point per period of the range, empty periods included.
    pub data_points: Vec<MessagePoint>,
}

/// One period of `analytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagePoint {
    /// Period start, Unix seconds.
    pub start: i64,
    /// Period end, Unix seconds.
    pub end: i64,
    /// Messages the business sent (per recipient).
    pub sent: i64,
    /// Of those, delivered (counted in the period of the delivery).
    pub delivered: i64,
}

/// `pricing_analytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingAnalytics {
    /// One entry holding every point.
    pub data: Vec<PricingData>,
}

/// The points of `pricing_analytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingData {
    /// One point per period and combination of the requested dimensions that had traffic.
    pub data_points: Vec<PricingPoint>,
}

/// One period and combination of dimensions of `pricing_analytics`; a dimension not asked
/// for is left out (its values are summed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingPoint {
    /// Period start, Unix seconds.
    pub start: i64,
    /// Period end, Unix seconds.
    pub end: i64,
    /// The business phone number (digits), with the `PHONE` dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The recipient's country (ISO 3166 alpha-2), with `COUNTRY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `REGULAR`, `FREE_CUSTOMER_SERVICE` or `FREE_ENTRY_POINT`, with `PRICING_TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_type: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`, …, with `PRICING_CATEGORY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_category: Option<String>,
    /// The volume tier the messages were rated in, with `TIER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Messages delivered and rated, with the `VOLUME` metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<i64>,
    /// What they cost in the WABA's currency (exact decimal), with the `COST` metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Number>,
}

/// `template_analytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateAnalytics {
    /// One entry holding every point.
    pub data: Vec<TemplateData>,
}

/// The points of `template_analytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateData {
    /// Always `DAILY`.
    pub granularity: String,
    /// `cloud_api`.
    pub product_type: String,
    /// One point per template and day that had traffic.
    pub data_points: Vec<TemplatePoint>,
}

/// One template's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplatePoint {
    /// The template id.
    pub template_id: String,
    /// Day start, Unix seconds.
    pub start: i64,
    /// Day end, Unix seconds.
    pub end: i64,
    /// Sent that day (per recipient).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<i64>,
    /// Delivered that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<i64>,
    /// Read that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<i64>,
    /// Button replies that day, by button kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clicked: Option<Vec<ClickCount>>,
    /// What the day's deliveries cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Vec<CostValue>>,
}

/// Clicks of one kind of button.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClickCount {
    /// `quick_reply_button`.
    #[serde(rename = "type")]
    pub kind: String,
    /// How many.
    pub count: i64,
}

/// A cost figure of a template's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostValue {
    /// `amount_spent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// In the WABA's currency (exact decimal).
    pub value: Number,
}

/// One row of a Billing page table: a day, category, country or phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingRow {
    /// What the row is about (`2026-07-01`, `marketing`, `DE`, `15550001111`).
    pub key: String,
    /// Messages delivered and rated.
    pub volume: i64,
    /// Their cost in millionths of the currency.
    pub cost_micros: i64,
    /// The same as a decimal string (`0.0034`).
    pub cost: String,
}

/// One template's performance over the page's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingTemplate {
    /// Template id.
    pub template_id: String,
    /// Its name and language (`order_update (en_US)`), or the id when it is gone.
    pub name: String,
    /// Sent.
    pub sent: i64,
    /// Delivered.
    pub delivered: i64,
    /// Read.
    pub read: i64,
    /// Button replies.
    pub clicked: i64,
    /// Cost in millionths of the currency.
    pub cost_micros: i64,
    /// The same as a decimal string.
    pub cost: String,
}

/// The console's Billing page: a WABA's spend over a range of whole UTC days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingAnalytics {
    /// The WABA's currency (ISO 4217).
    pub currency: String,
    /// Range start, Unix seconds (midnight UTC).
    pub start: i64,
    /// Range end, Unix seconds (midnight UTC, exclusive).
    pub end: i64,
    /// Totals over the range.
    pub total: BillingRow,
    /// Every day of the range, empty days included.
    pub days: Vec<BillingRow>,
    /// By pricing category, costliest first.
    pub categories: Vec<BillingRow>,
    /// By recipient country, costliest first.
    pub countries: Vec<BillingRow>,
    /// By business phone number, costliest first.
    pub phone_numbers: Vec<BillingRow>,
    /// Template performance, most sent first.
    pub templates: Vec<BillingTemplate>,
}

/// One WABA and country of the operator's revenue report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueRow {
    /// WABA id.
    pub waba_id: String,
    /// WABA name.
    pub waba_name: String,
    /// Recipient country (ISO 3166 alpha-2).
    pub country: String,
    /// The WABA's currency.
    pub currency: String,
    /// Messages delivered and rated.
    pub volume: i64,
    /// Charged, in millionths of the currency.
    pub cost_micros: i64,
    /// The same as a decimal string.
    pub cost: String,
}

/// Revenue per currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueTotal {
    /// Currency.
    pub currency: String,
    /// Messages.
    pub volume: i64,
    /// Charged, in millionths.
    pub cost_micros: i64,
    /// The same as a decimal string.
    pub cost: String,
}

/// The operator's revenue by business and market over a range of whole UTC days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueReport {
    /// Range start, Unix seconds.
    pub start: i64,
    /// Range end, Unix seconds (exclusive).
    pub end: i64,
    /// By WABA and country, largest first.
    pub rows: Vec<RevenueRow>,
    /// By currency.
    pub totals: Vec<RevenueTotal>,
}
