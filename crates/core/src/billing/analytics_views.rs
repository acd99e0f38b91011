//! The analytics as people read them: the business console's Billing page (a WABA's cost and
//! volume by day, category, country and phone number, and its templates' performance) and the
//! operator's revenue by business and market. Both read the same daily rollups as
//! `pricing_analytics` and cover whole UTC days, at most 90.

use super::analytics::{micros_decimal, span, PricingRead, TemplateRollupRow};
use super::analytics_query::{Dimensions, Granularity, MAX_RANGE_SECS};
use super::Billing;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use wasla_types::analytics::{
    BillingAnalytics, BillingRow, BillingTemplate, RevenueReport, RevenueRow, RevenueTotal,
};

/// The most templates the Billing page lists.
const PAGE_TEMPLATES: usize = 50;

/// Whole UTC days `[start, end)` from a request's bounds (Unix seconds; the end defaults to
/// the end of today and the start to 30 days before it), checked.
pub fn day_range(now_ms: i64, start: Option<i64>, end: Option<i64>) -> Result<(i64, i64)> {
    let today = Granularity::Day.floor(now_ms.div_euclid(1000));
    let end = match end {
        Some(e) => Granularity::Day.floor(e + 86_399),
        None => today + 86_400,
    };
    let start = Granularity::Day.floor(start.unwrap_or(end - 30 * 86_400));
    if start < 0 || start >= end {
        return Err(Error::bad("start must be before end"));
    }
    if end - start > MAX_RANGE_SECS {
        return Err(Error::bad("the range is over 90 days"));
    }
    Ok((start, end))
}

fn row(key: String, (volume, cost_micros): (i64, i64)) -> BillingRow {
    BillingRow {
        key,
        volume,
        cost_micros,
        cost: micros_decimal(cost_micros),
    }
}

/// Rows by cost, then volume, largest first.
fn ranked(sums: HashMap<String, (i64, i64)>) -> Vec<BillingRow> {
    let mut rows: Vec<BillingRow> = sums.into_iter().map(|(k, v)| row(k, v)).collect();
    rows.sort_by(|a, b| (b.cost_micros, b.volume, &a.key).cmp(&(a.cost_micros, a.volume, &b.key)));
    rows
}

/// `2026-07-01` for a day's start.
fn day_key(start: i64) -> String {
    chrono::DateTime::from_timestamp(start, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

impl Billing {
    /// The console's Billing page over whole UTC days `[start, end)`.
    pub async fn billing_page(
        &self,
        waba_id: i64,
        start: i64,
        end: i64,
    ) -> Result<BillingAnalytics> {
        let periods = Granularity::Day.periods(start, end);
        let (from, to) = span(&periods);
        let rows = self
            .store
            .pricing_rollup(&PricingRead {
                waba_id,
                daily: true,
                from,
                to,
                dimensions: Dimensions {
                    phone: true,
                    country: true,
                    category: true,
                    ..Dimensions::default()
                },
                ..PricingRead::default()
            })
            .await?;
        let numbers: HashMap<i64, String> = self
            .business
            .phone_numbers(waba_id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.wa_id))
            .collect();
        let mut total = (0, 0);
        let mut days: HashMap<i64, (i64, i64)> = HashMap::new();
        let mut categories: HashMap<String, (i64, i64)> = HashMap::new();
        let mut countries: HashMap<String, (i64, i64)> = HashMap::new();
        let mut phones: HashMap<String, (i64, i64)> = HashMap::new();
        for r in rows {
            let add = |s: &mut (i64, i64)| {
                s.0 += r.volume;
                s.1 += r.cost_micros;
            };
            add(&mut total);
            add(days.entry(r.bucket).or_default());
            add(categories
                .entry(r.category.clone().unwrap_or_default().to_ascii_lowercase())
                .or_default());
            add(countries
                .entry(r.country.clone().unwrap_or_default())
                .or_default());
            let phone = r
                .phone_number_id
                .map(|id| numbers.get(&id).cloned().unwrap_or_else(|| id.to_string()));
            add(phones.entry(phone.unwrap_or_default()).or_default());
        }
        Ok(BillingAnalytics {
            currency: self.store.waba_currency(waba_id).await?,
            start: from,
            end: to,
            total: row("total".into(), total),
            days: periods
                .iter()
                .map(|&(s, _)| row(day_key(s), days.get(&s).copied().unwrap_or_default()))
                .collect(),
            categories: ranked(categories),
            countries: ranked(countries),
            phone_numbers: ranked(phones),
            templates: self.page_templates(waba_id, from, to).await?,
        })
    }

    /// Each template's totals over the range, most sent first, with its name.
    async fn page_templates(
        &self,
        waba_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<BillingTemplate>> {
        let mut sums: BTreeMap<i64, TemplateRollupRow> = BTreeMap::new();
        for r in self.store.template_rollup(waba_id, from, to, &[]).await? {
            let s = sums.entry(r.template_id).or_default();
            s.template_id = r.template_id;
            s.sent += r.sent;
            s.delivered += r.delivered;
            s.read += r.read;
            s.clicked += r.clicked;
            s.cost_micros += r.cost_micros;
        }
        let mut rows: Vec<TemplateRollupRow> = sums.into_values().collect();
        rows.sort_by_key(|r| std::cmp::Reverse((r.sent, r.cost_micros)));
        rows.truncate(PAGE_TEMPLATES);
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id = r.template_id.to_string();
            let name = match self.integration.owned_template(waba_id, &id).await {
                Ok(t) => format!("{} ({})", t.name, t.language),
                Err(_) => id.clone(),
            };
            out.push(BillingTemplate {
                template_id: id,
                name,
                sent: r.sent,
                delivered: r.delivered,
                read: r.read,
                clicked: r.clicked,
                cost_micros: r.cost_micros,
                cost: micros_decimal(r.cost_micros),
            });
        }
        Ok(out)
    }

    /// The operator's revenue by WABA and market (recipient country) over whole UTC days
    /// `[start, end)`, with totals per currency.
    pub async fn revenue(&self, start: i64, end: i64) -> Result<RevenueReport> {
        let rows = self.store.revenue_rollup(start, end).await?;
        let mut wabas: HashMap<i64, (String, String)> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        let mut totals: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for r in rows {
            let (name, currency) = match wabas.get(&r.waba_id) {
                Some(known) => known.clone(),
                None => {
                    let name = self
                        .business
                        .waba_row(r.waba_id)
                        .await?
                        .map(|w| w.name)
                        .unwrap_or_default();
                    let currency = self.store.waba_currency(r.waba_id).await?;
                    wabas.insert(r.waba_id, (name.clone(), currency.clone()));
                    (name, currency)
                }
            };
            let t = totals.entry(currency.clone()).or_default();
            t.0 += r.volume;
            t.1 += r.cost_micros;
            out.push(RevenueRow {
                waba_id: r.waba_id.to_string(),
                waba_name: name,
                country: r.country,
                currency,
                volume: r.volume,
                cost_micros: r.cost_micros,
                cost: micros_decimal(r.cost_micros),
            });
        }
        out.sort_by(|a, b| {
            (&a.currency, b.cost_micros, b.volume, &a.waba_id, &a.country).cmp(&(
                &b.currency,
                a.cost_micros,
                a.volume,
                &b.waba_id,
                &b.country,
            ))
        });
        Ok(RevenueReport {
            start,
            end,
            rows: out,
            totals: totals
                .into_iter()
                .map(|(currency, (volume, cost_micros))| RevenueTotal {
                    currency,
                    volume,
                    cost_micros,
                    cost: micros_decimal(cost_micros),
                })
                .collect(),
        })
    }
}
