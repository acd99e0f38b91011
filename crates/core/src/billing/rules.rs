//! Pricing rules versioned by date, as data: rule sets read from `data/rate-cards/rules.toml`
//! (built in) or the file `billing.rules_file` names. A message is rated by the set in force
//! on the day it is sent, in its WABA's time zone (a switch happens at local midnight), and
//! its volume tier by the month it is delivered in, in that zone too.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

/// The rule sets shipped with Wasla.
const BUILT_IN: &str = include_str!("../../../../data/rate-cards/rules.toml");

/// One rule set (see `rules.toml` for what each key means).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// A label.
    pub name: String,
    /// First day it applies (local midnight of the WABA's zone).
    #[serde(deserialize_with = "day")]
    pub effective_from: NaiveDate,
    /// `PMP` or `CBP`.
    pub pricing_model: String,
    /// Utility templates are free inside an open customer service window.
    pub utility_free_in_window: bool,
    /// Click-to-chat referrals open free entry points.
    #[serde(default)]
    pub free_entry_point: bool,
    /// Authentication-international rates apply.
    #[serde(default)]
    pub authentication_international: bool,
    /// Service messages free per number and month (`None`: all).
    #[serde(default)]
    pub service_free_per_month: Option<i64>,
}

/// A `YYYY-MM-DD` string as a date.
fn day<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(serde::de::Error::custom)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule_set: Vec<RuleSet>,
}

/// Every rule set, by effective date.
#[derive(Debug, Clone)]
pub struct Rules {
    sets: Vec<RuleSet>,
}

impl Rules {
    /// Parse a rules file; sets are sorted by date, and two on one day are refused.
    pub fn parse(text: &str) -> Result<Rules> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| Error::bad(format!("rules file: {e}")))?;
        let mut sets = file.rule_set;
        sets.sort_by_key(|s| s.effective_from);
        if sets.is_empty() {
            return Err(Error::bad("rules file: no [[rule_set]]"));
        }
        for pair in sets.windows(2) {
            if pair[0].effective_from == pair[1].effective_from {
                return Err(Error::bad(format!(
                    "rules file: two rule sets take effect on {}",
                    pair[0].effective_from
                )));
            }
        }
        for s in &sets {
            if s.pricing_model != "PMP" && s.pricing_model != "CBP" {
                return Err(Error::bad(format!(
                    "rules file: {}: pricing_model is PMP or CBP",
                    s.name
                )));
            }
        }
        Ok(Rules { sets })
    }

    /// The built-in rule sets, or those of `path` when it is not empty.
    pub fn load(path: &str) -> Result<Rules> {
        if path.is_empty() {
            return Rules::parse(BUILT_IN);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::bad(format!("rules file {path}: {e}")))?;
        Rules::parse(&text)
    }

    /// The set in force on a local day (the earliest set before the first one).
    pub fn at(&self, day: NaiveDate) -> &RuleSet {
        self.sets
            .iter()
            .rev()
            .find(|s| s.effective_from <= day)
            .unwrap_or(&self.sets[0])
    }

    /// Every set, oldest first.
    pub fn all(&self) -> &[RuleSet] {
        &self.sets
    }
}

/// A time zone by IANA name (`UTC` when the name is unknown).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// Whether `name` is a known IANA time zone.
pub fn valid_zone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

/// The local date of `at_ms` in `tz`.
pub fn local_day(at_ms: i64, tz: &str) -> NaiveDate {
    let utc: DateTime<Utc> = Utc.timestamp_millis_opt(at_ms).single().unwrap_or_default();
    utc.with_timezone(&zone(tz)).date_naive()
}

/// The UTC day of `at_ms`, `2026-07-01`.
pub fn utc_day(at_ms: i64) -> String {
    local_day(at_ms, "UTC").format("%Y-%m-%d").to_string()
}

/// The local month of `at_ms` in `tz`, `2026-07`.
pub fn local_month(at_ms: i64, tz: &str) -> String {
    local_day(at_ms, tz).format("%Y-%m").to_string()
}

/// The rate of the `volume`-th message of the month (0-based) on a tier schedule
/// (`(tier_from, micros)` ascending), with its tier.
pub fn tier_rate(tiers: &[(i64, i64)], volume: i64) -> Option<(i64, i64)> {
    tiers
        .iter()
        .rev()
        .find(|(from, _)| *from <= volume)
        .copied()
}

/// A rate less a discount in basis points, rounded half up to the micro.
pub fn discounted(rate_micros: i64, discount_bp: i64) -> i64 {
    let bp = discount_bp.clamp(0, 10_000);
    (rate_micros * (10_000 - bp) + 5_000) / 10_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_switch_by_local_day() {
        let rules = Rules::load("").unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(rules.at(day("2025-06-30")).pricing_model, "CBP");
        assert_eq!(rules.at(day("2025-07-01")).name, "pmp-2025-07");
        assert_eq!(
            rules.at(day("2026-10-01")).service_free_per_month,
            Some(1000)
        );
        // 2025-06-30 20:00 UTC is already July 1st in Tokyo.
        let at = Utc
            .with_ymd_and_hms(2025, 6, 30, 20, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(local_day(at, "Asia/Tokyo"), day("2025-07-01"));
        assert_eq!(local_day(at, "UTC"), day("2025-06-30"));
        assert_eq!(local_month(at, "Asia/Tokyo"), "2025-07");
    }

    #[test]
    fn tiers_and_discounts() {
        let t = [(0, 4000), (10, 3000), (100, 2000)];
        assert_eq!(tier_rate(&t, 0), Some((0, 4000)));
        assert_eq!(tier_rate(&t, 9), Some((0, 4000)));
        assert_eq!(tier_rate(&t, 10), Some((10, 3000)));
        assert_eq!(tier_rate(&t, 1000), Some((100, 2000)));
        assert_eq!(discounted(3400, 1000), 3060);
        assert_eq!(discounted(5, 5000), 3);
        assert!(Rules::parse("[[rule_set]]\nname='x'\neffective_from='2025-01-01'\npricing_model='X'\nutility_free_in_window=true").is_err());
    }
}
