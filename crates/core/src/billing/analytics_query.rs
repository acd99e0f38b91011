//! The Graph API's field expansion for the WABA node's analytics fields:
//! `fields=analytics.start(…).end(…).granularity(DAY).phone_numbers([…]),pricing_analytics…`.
//! Parsing (`field_expansion.rs`) turns the text into fields with their modifiers; checking,
//! here, turns an analytics field into a typed query. Anything wrong (an unknown field or modifier, a bad granularity or list
//! value, start after end, a range over 90 days, malformed syntax) is Graph error 100 naming
//! the problem.

use super::field_expansion::{bad, countries, enum_list, list, unix};
pub use super::field_expansion::{parse_fields, FieldExpansion};
use crate::error::{Error, Result};

/// The longest range one query may cover.
pub const MAX_RANGE_SECS: i64 = 90 * 86_400;

/// The period data points are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// 30 minutes.
    HalfHour,
    /// A UTC day.
    Day,
    /// A UTC calendar month.
    Month,
}

impl Granularity {
    /// The start of the period holding `t` (Unix seconds).
    pub fn floor(self, t: i64) -> i64 {
        match self {
            Granularity::HalfHour => t - t.rem_euclid(1_800),
            Granularity::Day => t - t.rem_euclid(86_400),
            Granularity::Month => {
                use chrono::{Datelike, TimeZone, Utc};
                let d = Utc.timestamp_opt(t, 0).single().unwrap_or_default();
                Utc.with_ymd_and_hms(d.year(), d.month(), 1, 0, 0, 0)
                    .single()
                    .map_or(t, |m| m.timestamp())
            }
        }
    }

    /// The start of the period after the one starting at `start`.
    pub fn next(self, start: i64) -> i64 {
        match self {
            Granularity::HalfHour => start + 1_800,
            Granularity::Day => start + 86_400,
            Granularity::Month => Granularity::Month.floor(start + 32 * 86_400),
        }
    }

    /// The periods covering `[start, end)`: `(period start, period end)`.
    pub fn periods(self, start: i64, end: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut p = self.floor(start);
        while p < end {
            let n = self.next(p);
            out.push((p, n));
            p = n;
        }
        out
    }
}

/// Which breakdowns a `pricing_analytics` query asked for (`dimensions([…])`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dimensions {
    /// `PHONE`.
    pub phone: bool,
    /// `COUNTRY`.
    pub country: bool,
    /// `PRICING_CATEGORY`.
    pub category: bool,
    /// `PRICING_TYPE`.
    pub pricing_type: bool,
    /// `TIER`.
    pub tier: bool,
}

/// `analytics`: sent and delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageQuery {
    /// Unix seconds.
    pub start: i64,
    /// Unix seconds (exclusive).
    pub end: i64,
    /// Period.
    pub granularity: Granularity,
    /// As written (`DAY`), echoed in the answer.
    pub granularity_name: String,
    /// Business numbers (digits), empty for all.
    pub phone_numbers: Vec<String>,
    /// Recipient countries (upper case), empty for all.
    pub country_codes: Vec<String>,
}

/// `pricing_analytics`: volume and cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingQuery {
    /// Unix seconds.
    pub start: i64,
    /// Unix seconds (exclusive).
    pub end: i64,
    /// Period.
    pub granularity: Granularity,
    /// Business numbers (digits), empty for all.
    pub phone_numbers: Vec<String>,
    /// Recipient countries (upper case), empty for all.
    pub country_codes: Vec<String>,
    /// Include `cost`.
    pub cost: bool,
    /// Include `volume`.
    pub volume: bool,
    /// Pricing types (lower case, as stored), empty for all.
    pub pricing_types: Vec<String>,
    /// Pricing categories (lower case, as stored), empty for all.
    pub pricing_categories: Vec<String>,
    /// Breakdowns.
    pub dimensions: Dimensions,
}

/// `template_analytics`: per template and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateQuery {
    /// Unix seconds.
    pub start: i64,
    /// Unix seconds (exclusive).
    pub end: i64,
    /// Template ids, empty for all.
    pub template_ids: Vec<i64>,
    /// Metrics asked for: sent, delivered, read, clicked, cost.
    pub metrics: [bool; 5],
}

/// An analytics field of the WABA node, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyticsField {
    /// `analytics`.
    Messages(MessageQuery),
    /// `pricing_analytics`.
    Pricing(PricingQuery),
    /// `template_analytics`.
    Templates(TemplateQuery),
}

/// The names of the analytics fields.
pub const ANALYTICS_FIELDS: [&str; 3] = ["analytics", "pricing_analytics", "template_analytics"];

/// The modifiers common to every analytics field, checked; the rest are left to the caller.
struct Common {
    start: Option<i64>,
    end: Option<i64>,
    granularity: Option<String>,
    rest: Vec<(String, String)>,
}

fn common(f: &FieldExpansion) -> Result<Common> {
    let mut c = Common {
        start: None,
        end: None,
        granularity: None,
        rest: vec![],
    };
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &f.modifiers {
        if seen.contains(&k.as_str()) {
            return Err(bad(format!("{}.{k} is given twice", f.name)));
        }
        seen.push(k);
        match k.as_str() {
            "start" => c.start = Some(unix(&f.name, k, v)?),
            "end" => c.end = Some(unix(&f.name, k, v)?),
            "granularity" => c.granularity = Some(v.trim_matches('"').to_ascii_uppercase()),
            _ => c.rest.push((k.clone(), v.clone())),
        }
    }
    Ok(c)
}

/// Start and end present, in order, at most 90 days apart.
fn range(field: &str, c: &Common) -> Result<(i64, i64)> {
    let start = c
        .start
        .ok_or_else(|| bad(format!("{field} needs .start(<unix seconds>)")))?;
    let end = c
        .end
        .ok_or_else(|| bad(format!("{field} needs .end(<unix seconds>)")))?;
    if start >= end {
        return Err(bad(format!(
            "{field}: start ({start}) must be before end ({end})"
        )));
    }
    if end - start > MAX_RANGE_SECS {
        return Err(bad(format!(
            "{field}: the range from start to end is over 90 days"
        )));
    }
    Ok((start, end))
}

fn unknown_modifier(field: &str, key: &str) -> Error {
    bad(format!("{field} has no modifier '{key}'"))
}

/// Check an analytics field into its query; `None` when the field is not an analytics field.
pub fn analytics_field(f: &FieldExpansion) -> Result<Option<AnalyticsField>> {
    let field = f.name.as_str();
    if !ANALYTICS_FIELDS.contains(&field) {
        return Ok(None);
    }
    let c = common(f)?;
    let (start, end) = range(field, &c)?;
    let granularity = |allowed: &[(&str, Granularity)], default: Option<&str>| {
        let names = allowed.iter().map(|a| a.0).collect::<Vec<_>>();
        let given = c
            .granularity
            .as_deref()
            .or(default)
            .ok_or_else(|| bad(format!("{field} needs .granularity({})", names.join("|"))))?;
        allowed
            .iter()
            .find(|(n, _)| *n == given)
            .map(|(n, g)| (n.to_string(), *g))
            .ok_or_else(|| {
                bad(format!(
                    "{field}: granularity '{given}' is not one of {}",
                    names.join(", ")
                ))
            })
    };
    Ok(Some(match field {
        "analytics" => {
            let (name, g) = granularity(
                &[
                    ("HALF_HOUR", Granularity::HalfHour),
                    ("DAY", Granularity::Day),
                    ("MONTH", Granularity::Month),
                ],
                None,
            )?;
            let mut q = MessageQuery {
                start,
                end,
                granularity: g,
                granularity_name: name,
                phone_numbers: vec![],
                country_codes: vec![],
            };
            for (k, v) in &c.rest {
                match k.as_str() {
                    "phone_numbers" => q.phone_numbers = list(field, k, v)?,
                    "country_codes" => q.country_codes = countries(field, k, v)?,
                    "product_types" => {
                        enum_list(field, k, v, &["0", "2"])?;
                    }
                    _ => return Err(unknown_modifier(field, k)),
                }
            }
            AnalyticsField::Messages(q)
        }
        "pricing_analytics" => {
            let (_, g) = granularity(
                &[
                    ("HALF_HOUR", Granularity::HalfHour),
                    ("DAILY", Granularity::Day),
                    ("MONTHLY", Granularity::Month),
                ],
                None,
            )?;
            let mut q = PricingQuery {
                start,
                end,
                granularity: g,
                phone_numbers: vec![],
                country_codes: vec![],
                cost: true,
                volume: true,
                pricing_types: vec![],
                pricing_categories: vec![],
                dimensions: Dimensions::default(),
            };
            for (k, v) in &c.rest {
                match k.as_str() {
                    "phone_numbers" => q.phone_numbers = list(field, k, v)?,
                    "country_codes" => q.country_codes = countries(field, k, v)?,
                    "metric_types" => {
                        let m = enum_list(field, k, v, &["COST", "VOLUME"])?;
                        if !m.is_empty() {
                            q.cost = m.iter().any(|x| x == "COST");
                            q.volume = m.iter().any(|x| x == "VOLUME");
                        }
                    }
                    "pricing_types" => {
                        q.pricing_types = lower(enum_list(
                            field,
                            k,
                            v,
                            &["REGULAR", "FREE_CUSTOMER_SERVICE", "FREE_ENTRY_POINT"],
                        )?)
                    }
                    "pricing_categories" => {
                        q.pricing_categories = lower(enum_list(
                            field,
                            k,
                            v,
                            &[
                                "MARKETING",
                                "UTILITY",
                                "AUTHENTICATION",
                                "AUTHENTICATION_INTERNATIONAL",
                                "SERVICE",
                                "REFERRAL_CONVERSION",
                            ],
                        )?)
                    }
                    "dimensions" => {
                        for d in enum_list(
                            field,
                            k,
                            v,
                            &[
                                "PHONE",
                                "COUNTRY",
                                "PRICING_CATEGORY",
                                "PRICING_TYPE",
                                "TIER",
                            ],
                        )? {
                            match d.as_str() {
                                "PHONE" => q.dimensions.phone = true,
                                "COUNTRY" => q.dimensions.country = true,
                                "PRICING_CATEGORY" => q.dimensions.category = true,
                                "PRICING_TYPE" => q.dimensions.pricing_type = true,
                                _ => q.dimensions.tier = true,
                            }
                        }
                    }
                    _ => return Err(unknown_modifier(field, k)),
                }
            }
            AnalyticsField::Pricing(q)
        }
        _ => {
            granularity(&[("DAILY", Granularity::Day)], Some("DAILY"))?;
            let mut q = TemplateQuery {
                start,
                end,
                template_ids: vec![],
                metrics: [true; 5],
            };
            for (k, v) in &c.rest {
                match k.as_str() {
                    "template_ids" => {
                        q.template_ids = list(field, k, v)?
                            .iter()
                            .map(|t| {
                                t.parse::<i64>().map_err(|_| {
                                    bad(format!("{field}.template_ids: '{t}' is not a template id"))
                                })
                            })
                            .collect::<Result<_>>()?
                    }
                    "metric_types" => {
                        let m = enum_list(
                            field,
                            k,
                            v,
                            &["SENT", "DELIVERED", "READ", "CLICKED", "COST"],
                        )?;
                        if !m.is_empty() {
                            q.metrics = ["SENT", "DELIVERED", "READ", "CLICKED", "COST"]
                                .map(|x| m.iter().any(|y| y == x));
                        }
                    }
                    "product_type" => {
                        enum_list(field, k, &format!("[{v}]"), &["CLOUD_API"])?;
                    }
                    _ => return Err(unknown_modifier(field, k)),
                }
            }
            AnalyticsField::Templates(q)
        }
    }))
}

fn lower(v: Vec<String>) -> Vec<String> {
    v.into_iter().map(|s| s.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Option<AnalyticsField>> {
        analytics_field(&parse_fields(text)?[0])
    }

    fn details(e: Error) -> String {
        match e {
            Error::Graph { code, details, .. } => {
                assert_eq!(code, 100);
                details
            }
            other => panic!("not a graph error: {other:?}"),
        }
    }

    #[test]
    fn parses_several_fields_with_lists() {
        let f = parse_fields(
            "id,analytics.start(0).end(86400).granularity(DAY).phone_numbers([\"155\",'166']).country_codes([us]),name",
        )
        .unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].modifiers.len(), 5);
        let Some(AnalyticsField::Messages(q)) = analytics_field(&f[1]).unwrap() else {
            panic!()
        };
        assert_eq!(q.phone_numbers, ["155", "166"]);
        assert_eq!(q.country_codes, ["US"]);
        assert_eq!(q.granularity, Granularity::Day);
        assert_eq!(analytics_field(&f[0]).unwrap(), None);
    }

    #[test]
    fn pricing_dimensions_and_filters() {
        let Some(AnalyticsField::Pricing(q)) = one(
            "pricing_analytics.start(0).end(3600).granularity(HALF_HOUR).metric_types([VOLUME]).dimensions([COUNTRY,PRICING_CATEGORY]).pricing_categories([MARKETING])",
        )
        .unwrap() else {
            panic!()
        };
        assert!(q.volume && !q.cost);
        assert!(q.dimensions.country && q.dimensions.category && !q.dimensions.phone);
        assert_eq!(q.pricing_categories, ["marketing"]);
    }

    #[test]
    fn bad_expansions_name_the_problem() {
        let cases = [
            ("analytics.start(10).end(5).granularity(DAY)", "before end"),
            (
                "analytics.start(0).end(8000000).granularity(DAY)",
                "over 90 days",
            ),
            ("analytics.start(0).end(10).granularity(WEEK)", "WEEK"),
            ("pricing_analytics.start(0).end(10).granularity(DAY)", "DAY"),
            (
                "analytics.start(0).end(10).granularity(DAY).colour(red)",
                "colour",
            ),
            ("analytics.start(0.end(10)", "unbalanced"),
            (
                "analytics.start(x).end(10).granularity(DAY)",
                "Unix timestamp",
            ),
            ("analytics.start.end(10)", "parentheses"),
            ("analytics.end(10).granularity(DAY)", "start"),
            (
                "pricing_analytics.start(0).end(10).granularity(DAILY).dimensions([SIZE])",
                "SIZE",
            ),
            (
                "analytics.start(0).end(10).granularity(DAY).country_codes([USA])",
                "USA",
            ),
        ];
        for (text, want) in cases {
            let d = details(one(text).unwrap_err());
            assert!(d.contains(want), "{text}: {d}");
        }
    }

    #[test]
    fn months_follow_the_calendar() {
        // 2026-01-15 .. 2026-03-02
        let p = Granularity::Month.periods(1_768_435_200, 1_772_409_600);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].0, 1_767_225_600); // 2026-01-01
        assert_eq!(p[1].0, 1_769_904_000); // 2026-02-01
        assert_eq!(p[2].0, 1_772_323_200); // 2026-03-01
        assert_eq!(p[2].1, 1_775_001_600); // 2026-04-01
    }
}
