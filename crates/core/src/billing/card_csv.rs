//! Rate cards as CSV, in the layout of Meta's published cards: one row per market with a
//! column per category, rates in the currency's units (`0.0034`), plus tier rows that give a
//! market's utility and authentication rates from a monthly volume on. Parsed with the `csv`
//! crate into exact micros (never through floats); every problem is reported with its line,
//! and a card with any problem is refused whole. `docs/billing.md` has the layout.

use super::markets::{all_markets, OTHER};
use super::rows::{RateRow, MICROS_PER_UNIT, REQUIRED_CATEGORIES};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The header, in order; the category each rate column prices.
pub const COLUMNS: [(&str, &str); 5] = [
    ("Marketing", "marketing"),
    ("Utility", "utility"),
    ("Authentication", "authentication"),
    (
        "Authentication-International",
        "authentication_international",
    ),
    ("Service", "service"),
];

/// Categories a tier row may price.
const TIERED: [&str; 3] = ["utility", "authentication", "authentication_international"];

/// A problem on one line of a card (line 0: the card as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The CSV line (1 = the header).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// A parsed card: its currency and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCard {
    /// ISO 4217.
    pub currency: String,
    /// Rates.
    pub rows: Vec<RateRow>,
}

/// A decimal amount of currency units (`0.0034`) as micros; at most six decimals.
pub fn parse_units(text: &str) -> Result<i64, String> {
    let t = text.trim().trim_start_matches('$');
    if t.is_empty() || t.starts_with('-') || t.starts_with('+') {
        return Err(format!("{text:?} is not a rate"));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("{text:?} is not a rate"));
    }
    if frac.len() > 6 {
        return Err(format!(
            "{text:?} is finer than a millionth of the currency"
        ));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .ok()
            .filter(|w: &i64| *w < 1_000_000)
            .ok_or_else(|| format!("{text:?} is too large"))?
    };
    let frac_micros: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
    Ok(whole * MICROS_PER_UNIT + frac_micros)
}

/// Micros as a decimal amount of units with at least four decimals (`3400` → `0.0034`).
pub fn format_units(micros: i64) -> String {
    let whole = micros / MICROS_PER_UNIT;
    let frac = format!("{:06}", micros % MICROS_PER_UNIT);
    let mut frac = frac.trim_end_matches('0').to_string();
    while frac.len() < 4 {
        frac.push('0');
    }
    format!("{whole}.{frac}")
}

/// Parse a card; all problems at once, or the card.
pub fn parse_card(text: &str) -> Result<ParsedCard, Vec<RowProblem>> {
    let mut problems = vec![];
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_string()).collect(),
        Err(e) => {
            return Err(vec![RowProblem {
                line: 1,
                message: format!("unreadable header: {e}"),
            }])
        }
    };
    let mut expected = vec!["Market".to_string(), "Currency".to_string()];
    expected.extend(COLUMNS.iter().map(|(c, _)| c.to_string()));
    expected.push("Tier From".into());
    let same = header.len() == expected.len()
        && header
            .iter()
            .zip(&expected)
            .all(|(a, b)| a.eq_ignore_ascii_case(b));
    if !same {
        return Err(vec![RowProblem {
            line: 1,
            message: format!("the header must be: {}", expected.join(",")),
        }]);
    }
    let markets: HashSet<&str> = all_markets().into_iter().collect();
    let mut currency: Option<String> = None;
    // (market, category, tier) → rate
    let mut rates: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    let mut tier_lines: Vec<(u64, String, String, i64)> = vec![];
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RowProblem {
                    line,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut bad = |message: String| problems.push(RowProblem { line, message });
        if record.len() != expected.len() {
            bad(format!(
                "{} columns, the header has {}",
                record.len(),
                expected.len()
            ));
            continue;
        }
        let market = &record[0];
        if !markets.contains(market) {
            bad(format!("unknown market {market:?}"));
            continue;
        }
        let cur = &record[1];
        if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_uppercase()) {
            bad(format!("currency {cur:?} is not an ISO 4217 code"));
            continue;
        }
        match &currency {
            None => currency = Some(cur.to_string()),
            Some(c) if c != cur => {
                bad(format!("currency {cur} differs from the card's {c}"));
                continue;
            }
            _ => {}
        }
        let tier = match record[7].trim() {
            "" => 0,
            t => match t.parse::<i64>() {
                Ok(n) if n >= 0 => n,
                _ => {
                    bad(format!("Tier From {t:?} is not a volume"));
                    continue;
                }
            },
        };
        for (i, (column, category)) in COLUMNS.iter().enumerate() {
            let cell = &record[2 + i];
            if cell.is_empty() {
                continue;
            }
            if tier > 0 && !TIERED.contains(category) {
                bad(format!("{column} has no volume tiers"));
                continue;
            }
            match parse_units(cell) {
                Ok(micros) => {
                    let key = (market.to_string(), category.to_string(), tier);
                    if rates.insert(key, micros).is_some() {
                        bad(format!("{market} {column} from {tier} is priced twice"));
                    }
                    if tier > 0 {
                        tier_lines.push((line, market.to_string(), category.to_string(), tier));
                    }
                }
                Err(e) => bad(format!("{column}: {e}")),
            }
        }
    }
    for (line, market, category, _) in &tier_lines {
        if !rates.contains_key(&(market.clone(), category.clone(), 0)) {
            problems.push(RowProblem {
                line: *line,
                message: format!("{market} has a {category} tier but no base {category} rate"),
            });
        }
    }
    let Some(currency) = currency else {
        problems.push(RowProblem {
            line: 0,
            message: "the card has no rows".into(),
        });
        return Err(problems);
    };
    // Every market must be priced for every required category, or `Other` covers it.
    for category in REQUIRED_CATEGORIES {
        if rates.contains_key(&(OTHER.to_string(), category.to_string(), 0)) {
            continue;
        }
        let missing: Vec<&str> = all_markets()
            .into_iter()
            .filter(|m| !rates.contains_key(&(m.to_string(), category.to_string(), 0)))
            .collect();
        if !missing.is_empty() {
            problems.push(RowProblem {
                line: 0,
                message: format!(
                    "{category} is unpriced for {} and there is no Other row to cover it",
                    missing.join(", ")
                ),
            });
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    let rows = rates
        .into_iter()
        .map(|((market, category, tier_from), rate_micros)| RateRow {
            market,
            category,
            tier_from,
            rate_micros,
        })
        .collect();
    Ok(ParsedCard { currency, rows })
}

/// A card in the same layout: base rows first (one per market), then tier rows.
pub fn render_card(currency: &str, rows: &[RateRow]) -> String {
    let mut writer = csv::Writer::from_writer(vec![]);
    let mut header = vec!["Market", "Currency"];
    header.extend(COLUMNS.iter().map(|(c, _)| *c));
    header.push("Tier From");
    let _ = writer.write_record(&header);
    // (tier > 0, market order, tier) → cells
    let order: Vec<&str> = all_markets();
    let mut lines: BTreeMap<(bool, usize, i64), [String; 5]> = BTreeMap::new();
    for r in rows {
        let Some(pos) = order.iter().position(|m| *m == r.market) else {
            continue;
        };
        let Some(col) = COLUMNS.iter().position(|(_, c)| *c == r.category) else {
            continue;
        };
        let cells = lines
            .entry((r.tier_from > 0, pos, r.tier_from))
            .or_default();
        cells[col] = format_units(r.rate_micros);
    }
    for ((_, pos, tier), cells) in lines {
        let tier = if tier > 0 {
            tier.to_string()
        } else {
            String::new()
        };
        let mut record = vec![order[pos].to_string(), currency.to_string()];
        record.extend(cells);
        record.push(tier);
        let _ = writer.write_record(&record);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service,Tier From\n";

    #[test]
    fn units_parse_exactly() {
        assert_eq!(parse_units("0.0034"), Ok(3400));
        assert_eq!(parse_units("0.1597"), Ok(159_700));
        assert_eq!(parse_units("1"), Ok(1_000_000));
        assert_eq!(parse_units(".5"), Ok(500_000));
        assert!(parse_units("0.00000001").is_err());
        assert!(parse_units("-1").is_err());
        assert!(parse_units("abc").is_err());
        assert_eq!(format_units(3400), "0.0034");
        assert_eq!(format_units(1_234_567), "1.234567");
    }

    #[test]
    fn cards_round_trip_and_report_rows() {
        let text = format!(
            "{HEADER}Germany,USD,0.1365,0.0550,0.0550,,0,\nOther,USD,0.0604,0.0077,0.0077,,0,\nOther,USD,,0.0070,,,,1000\n"
        );
        let card = parse_card(&text).unwrap();
        assert_eq!(card.currency, "USD");
        let again = parse_card(&render_card("USD", &card.rows)).unwrap();
        assert_eq!(again, card);

        let bad = format!(
            "{HEADER}Germany,USD,abc,0.0550,0.0550,,0,\nAtlantis,USD,1,1,1,,0,\nFrance,EUR,1,1,1,,0,\nOther,USD,1,1,1,,0,\n"
        );
        let problems = parse_card(&bad).unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4], "{problems:?}");

        let unpriced = format!("{HEADER}Germany,USD,0.1365,0.0550,0.0550,,0,\n");
        let problems = parse_card(&unpriced).unwrap_err();
        assert!(problems[0].message.contains("no Other row"), "{problems:?}");
    }
}
