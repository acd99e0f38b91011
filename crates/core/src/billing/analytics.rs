//! Analytics on the WABA node: `analytics` (sent, delivered), `pricing_analytics` (volume and
//! cost by phone, country, category, pricing type and tier) and `template_analytics` (sent,
//! delivered, read, clicked, cost per template), read from rollups that are written in the
//! same transactions as the sends, receipts and ratings they count, so they agree with the
//! ledger and a query's cost does not grow with the number of messages. Costs are integers of
//! millionths of the WABA's currency until they are written out as exact decimals.

use super::analytics_query::{
    analytics_field, parse_fields, AnalyticsField, Dimensions, Granularity, MessageQuery,
    PricingQuery, TemplateQuery,
};
use super::Billing;
use crate::error::{Error, Result};
use async_trait::async_trait;
use serde_json::{json, Map, Number, Value};
use std::collections::{BTreeMap, HashMap};
use wasla_types::analytics::{
    ClickCount, CostValue, MessageAnalytics, MessagePoint, PricingAnalytics, PricingData,
    PricingPoint, TemplateAnalytics, TemplateData, TemplatePoint,
};

/// What a `pricing_analytics` read selects and groups by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PricingRead {
    /// The WABA.
    pub waba_id: i64,
    /// Read the daily rollup (else the half-hourly one).
    pub daily: bool,
    /// First bucket, Unix seconds.
    pub from: i64,
    /// End of the last bucket, Unix seconds (exclusive).
    pub to: i64,
    /// Business numbers (phone-number ids), empty for all.
    pub phone_number_ids: Vec<i64>,
    /// Recipient countries (upper case), empty for all.
    pub countries: Vec<String>,
    /// Pricing categories (lower case), empty for all.
    pub categories: Vec<String>,
    /// Pricing types (lower case), empty for all.
    pub pricing_types: Vec<String>,
    /// Which columns to keep apart (the others are summed and come back as `None`).
    pub dimensions: Dimensions,
}

/// A row of a pricing rollup read: a bucket and the kept dimensions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PricingRollupRow {
    /// Bucket start, Unix seconds.
    pub bucket: i64,
    /// Phone-number id, when kept.
    pub phone_number_id: Option<i64>,
    /// Country, when kept.
    pub country: Option<String>,
    /// Category, when kept.
    pub category: Option<String>,
    /// Pricing type, when kept.
    pub pricing_type: Option<String>,
    /// Tier, when kept.
    pub tier: Option<String>,
    /// Messages rated.
    pub volume: i64,
    /// Their cost, micros.
    pub cost_micros: i64,
}

/// One template's day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateRollupRow {
    /// Day start, Unix seconds.
    pub bucket: i64,
    /// Template id.
    pub template_id: i64,
    /// Sent (per recipient).
    pub sent: i64,
    /// Delivered.
    pub delivered: i64,
    /// Read.
    pub read: i64,
    /// Button replies.
    pub clicked: i64,
    /// Cost, micros.
    pub cost_micros: i64,
}

/// One WABA and country of the operator's revenue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevenueRollupRow {
    /// WABA.
    pub waba_id: i64,
    /// Recipient country.
    pub country: String,
    /// Messages rated.
    pub volume: i64,
    /// Charged, micros.
    pub cost_micros: i64,
}

/// The analytics rollups (written by the store's group commit and rating) and what reads them.
#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// Sent and delivered per half-hour bucket in `[from, to)`, summed over the given numbers
    /// and countries (all when empty).
    async fn message_rollup(
        &self,
        waba_id: i64,
        from: i64,
        to: i64,
        phone_number_ids: &[i64],
        countries: &[String],
    ) -> Result<Vec<(i64, i64, i64)>>;
    /// Volume and cost per bucket and kept dimension.
    async fn pricing_rollup(&self, read: &PricingRead) -> Result<Vec<PricingRollupRow>>;
    /// Templates' days in `[from, to)`, only the given templates when any.
    async fn template_rollup(
        &self,
        waba_id: i64,
        from: i64,
        to: i64,
        template_ids: &[i64],
    ) -> Result<Vec<TemplateRollupRow>>;
    /// Every WABA's volume and cost per country over the days in `[from, to)`.
    async fn revenue_rollup(&self, from: i64, to: i64) -> Result<Vec<RevenueRollupRow>>;
    /// The currency of the WABA's rate card (`USD` when it has none).
    async fn waba_currency(&self, waba_id: i64) -> Result<String>;
    /// The ledger's message rows of a WABA rated in `[from_ms, to_ms)`: how many, and what
    /// they charged in micros (a positive sum).
    async fn ledger_message_totals(
        &self,
        waba_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<(i64, i64)>;
}

/// Micros as an exact decimal string: `3400` is `0.0034`, `-2500000` is `-2.5`.
pub fn micros_decimal(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let (whole, frac) = (abs / 1_000_000, abs % 1_000_000);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let frac = format!("{frac:06}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// Micros as a JSON number written exactly as [`micros_decimal`] (no arithmetic on floats).
pub fn micros_number(micros: i64) -> Number {
    micros_decimal(micros)
        .parse()
        .unwrap_or_else(|_| Number::from(0))
}

/// Uppercase a stored enum value for the Graph API (`marketing` → `MARKETING`).
fn upper(v: Option<String>) -> Option<String> {
    v.map(|s| s.to_ascii_uppercase())
}

impl Billing {
    /// `GET /{waba-id}?fields=…` when the fields name an analytics field or use modifiers:
    /// the requested fields of the WABA node with the analytics computed. `None` when `id` is
    /// not the token's WABA or the fields are plain (the node answers as before).
    pub async fn waba_fields(&self, waba_id: i64, id: &str, fields: &str) -> Result<Option<Value>> {
        if id.parse::<i64>().ok() != Some(waba_id) {
            return Ok(None);
        }
        let parsed = parse_fields(fields)?;
        if parsed
            .iter()
            .all(|f| f.modifiers.is_empty() && analytics_field(f).ok().flatten().is_none())
        {
            return Ok(None);
        }
        let node = self
            .business
            .waba_node(waba_id, id)
            .await?
            .unwrap_or_default();
        let mut out = Map::new();
        for f in &parsed {
            let value = match analytics_field(f)? {
                Some(AnalyticsField::Messages(q)) => {
                    serde_json::to_value(self.message_analytics(waba_id, &q).await?)
                }
                Some(AnalyticsField::Pricing(q)) => {
                    serde_json::to_value(self.pricing_analytics(waba_id, &q).await?)
                }
                Some(AnalyticsField::Templates(q)) => {
                    serde_json::to_value(self.template_analytics(waba_id, &q).await?)
                }
                None if !f.modifiers.is_empty() => {
                    return Err(Error::invalid_param(format!(
                        "field {} takes no modifiers",
                        f.name
                    )))
                }
                None => match node.get(&f.name) {
                    Some(v) => Ok(v.clone()),
                    None => {
                        return Err(Error::invalid_param(format!(
                            "Tried accessing nonexisting field ({}) on node type (WhatsAppBusinessAccount)",
                            f.name
                        )))
                    }
                },
            }
            .map_err(Error::internal)?;
            out.insert(f.name.clone(), value);
        }
        out.insert("id".into(), json!(waba_id.to_string()));
        Ok(Some(Value::Object(out)))
    }

    /// The WABA's numbers named by a filter (digits, with or without `+`), all when empty:
    /// `(phone-number id, digits)`. A number that is not the WABA's is error 100.
    async fn numbers_for(&self, waba_id: i64, filter: &[String]) -> Result<Vec<(i64, String)>> {
        let all: Vec<(i64, String)> = self
            .business
            .phone_numbers(waba_id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.wa_id))
            .collect();
        if filter.is_empty() {
            return Ok(all);
        }
        filter
            .iter()
            .map(|f| {
                let digits: String = f.chars().filter(char::is_ascii_digit).collect();
                all.iter()
                    .find(|(id, wa)| *wa == digits || id.to_string() == digits)
                    .cloned()
                    .ok_or_else(|| {
                        Error::invalid_param(format!(
                            "no phone number {f} in this WhatsApp Business Account (phone_numbers)"
                        ))
                    })
            })
            .collect()
    }

    /// `analytics`: sent and delivered for every period of the range.
    pub async fn message_analytics(
        &self,
        waba_id: i64,
        q: &MessageQuery,
    ) -> Result<MessageAnalytics> {
        let numbers = self.numbers_for(waba_id, &q.phone_numbers).await?;
        let periods = q.granularity.periods(q.start, q.end);
        let (from, to) = span(&periods);
        let ids: Vec<i64> = if q.phone_numbers.is_empty() {
            vec![]
        } else {
            numbers.iter().map(|n| n.0).collect()
        };
        let rows = self
            .store
            .message_rollup(waba_id, from, to, &ids, &q.country_codes)
            .await?;
        let mut sums: HashMap<i64, (i64, i64)> = HashMap::new();
        for (bucket, sent, delivered) in rows {
            let s = sums.entry(q.granularity.floor(bucket)).or_default();
            s.0 += sent;
            s.1 += delivered;
        }
        Ok(MessageAnalytics {
            phone_numbers: numbers.into_iter().map(|n| n.1).collect(),
            country_codes: (!q.country_codes.is_empty()).then(|| q.country_codes.clone()),
            granularity: q.granularity_name.clone(),
            data_points: periods
                .iter()
                .map(|&(start, end)| {
                    let (sent, delivered) = sums.get(&start).copied().unwrap_or_default();
                    MessagePoint {
                        start,
                        end,
                        sent,
                        delivered,
                    }
                })
                .collect(),
        })
    }

    /// `pricing_analytics`: volume and cost per period and requested dimension, from the
    /// daily rollup (half-hourly for `HALF_HOUR`).
    pub async fn pricing_analytics(
        &self,
        waba_id: i64,
        q: &PricingQuery,
    ) -> Result<PricingAnalytics> {
        let numbers = self.numbers_for(waba_id, &q.phone_numbers).await?;
        let periods = q.granularity.periods(q.start, q.end);
        let (from, to) = span(&periods);
        let read = PricingRead {
            waba_id,
            daily: q.granularity != Granularity::HalfHour,
            from,
            to,
            phone_number_ids: if q.phone_numbers.is_empty() {
                vec![]
            } else {
                numbers.iter().map(|n| n.0).collect()
            },
            countries: q.country_codes.clone(),
            categories: q.pricing_categories.clone(),
            pricing_types: q.pricing_types.clone(),
            dimensions: q.dimensions,
        };
        let rows = self.store.pricing_rollup(&read).await?;
        let digits: HashMap<i64, String> = numbers.into_iter().collect();
        // Regroup by the query's period (months from days); BTreeMap keeps the order stable.
        type Key = (
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let mut sums: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
        for r in rows {
            let phone = r
                .phone_number_id
                .map(|id| digits.get(&id).cloned().unwrap_or_else(|| id.to_string()));
            let key = (
                q.granularity.floor(r.bucket),
                phone,
                r.country,
                upper(r.pricing_type),
                upper(r.category),
                r.tier,
            );
            let s = sums.entry(key).or_default();
            s.0 += r.volume;
            s.1 += r.cost_micros;
        }
        let data_points = sums
            .into_iter()
            .map(
                |((start, phone_number, country, pricing_type, pricing_category, tier), (v, c))| {
                    PricingPoint {
                        start,
                        end: q.granularity.next(start),
                        phone_number,
                        country,
                        pricing_type,
                        pricing_category,
                        tier,
                        volume: q.volume.then_some(v),
                        cost: q.cost.then(|| micros_number(c)),
                    }
                },
            )
            .collect();
        Ok(PricingAnalytics {
            data: vec![PricingData { data_points }],
        })
    }

    /// `template_analytics`: each template's days that had traffic.
    pub async fn template_analytics(
        &self,
        waba_id: i64,
        q: &TemplateQuery,
    ) -> Result<TemplateAnalytics> {
        let periods = Granularity::Day.periods(q.start, q.end);
        let (from, to) = span(&periods);
        let rows = self
            .store
            .template_rollup(waba_id, from, to, &q.template_ids)
            .await?;
        let [sent, delivered, read, clicked, cost] = q.metrics;
        let data_points = rows
            .into_iter()
            .map(|r| TemplatePoint {
                template_id: r.template_id.to_string(),
                start: r.bucket,
                end: r.bucket + 86_400,
                sent: sent.then_some(r.sent),
                delivered: delivered.then_some(r.delivered),
                read: read.then_some(r.read),
                clicked: clicked.then(|| {
                    vec![ClickCount {
                        kind: "quick_reply_button".into(),
                        count: r.clicked,
                    }]
                }),
                cost: cost.then(|| {
                    vec![CostValue {
                        kind: "amount_spent".into(),
                        value: micros_number(r.cost_micros),
                    }]
                }),
            })
            .collect();
        Ok(TemplateAnalytics {
            data: vec![TemplateData {
                granularity: "DAILY".into(),
                product_type: "cloud_api".into(),
                data_points,
            }],
        })
    }

    /// What the ledger charged a WABA for messages rated in `[from_ms, to_ms)`: how many and
    /// how much (micros). The analytics must agree with it.
    pub async fn ledger_message_totals(
        &self,
        waba_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<(i64, i64)> {
        self.store
            .ledger_message_totals(waba_id, from_ms, to_ms)
            .await
    }
}

/// The first period's start and the last one's end.
pub(super) fn span(periods: &[(i64, i64)]) -> (i64, i64) {
    (
        periods.first().map_or(0, |p| p.0),
        periods.last().map_or(0, |p| p.1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_are_written_exactly() {
        assert_eq!(micros_decimal(3_400), "0.0034");
        assert_eq!(micros_decimal(-2_500_000), "-2.5");
        assert_eq!(micros_decimal(0), "0");
        assert_eq!(micros_decimal(12_000_001), "12.000001");
        assert_eq!(micros_decimal(i64::MIN), "-9223372036854.775808");
        assert_eq!(micros_number(3_400).to_string(), "0.0034");
        assert_eq!(micros_number(25_000).to_string(), "0.025");
        assert_eq!(micros_number(7_000_000).to_string(), "7");
    }
}
