//! Amounts of balances and invoices, as integers only: reading what an operator types (minor
//! units as an integer, or an exact decimal string in currency units) into micros, writing
//! micros back as exact decimals, and the invoice's one rounding from micros to minor units
//! (half to even). A currency's minor units are two digits unless ISO 4217 gives it zero or
//! three.

use super::rows::MICROS_PER_UNIT;
use crate::error::{Error, Result};
use serde_json::Value;

/// ISO 4217 currencies without minor units.
const ZERO_DIGITS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];
/// ISO 4217 currencies with three digits of minor units.
const THREE_DIGITS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Digits after the decimal point of `currency`'s minor unit (2 for USD, 0 for JPY).
pub fn minor_digits(currency: &str) -> u32 {
    if ZERO_DIGITS.contains(&currency) {
        0
    } else if THREE_DIGITS.contains(&currency) {
        3
    } else {
        2
    }
}

/// Micros in one minor unit of `currency` (10,000 for USD's cent).
pub fn micros_per_minor(currency: &str) -> i64 {
    MICROS_PER_UNIT / 10i64.pow(minor_digits(currency))
}

/// Read an amount given as minor units (a JSON integer: `1250` is 12.50 USD) or as an exact
/// decimal string in currency units (`"12.50"`, `"-0.0034"`, at most six decimals) into
/// micros. Anything else (fractions in JSON numbers, exponents, stray characters, overflow)
/// is a bad request naming `field`.
pub fn parse_amount(field: &str, v: &Value, currency: &str) -> Result<i64> {
    let bad = |why: &str| Error::bad(format!("{field}: {why}"));
    match v {
        Value::Number(n) => {
            let minor = n.as_i64().ok_or_else(|| {
                bad("give minor units as a whole number (1250 for 12.50), or a decimal string")
            })?;
            minor
                .checked_mul(micros_per_minor(currency))
                .ok_or_else(|| bad("too large"))
        }
        Value::String(s) => parse_decimal(s).ok_or_else(|| {
            bad(&format!(
                "{s:?} is not an amount: write a decimal such as \"12.50\" (at most six decimals)"
            ))
        }),
        _ => Err(bad(
            "give minor units as a whole number (1250 for 12.50), or a decimal string",
        )),
    }
}

/// An exact decimal in currency units (`-12.345678`) as micros.
fn parse_decimal(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if (whole.is_empty() && fraction.is_empty())
        || fraction.len() > 6
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || (digits.contains('.') && fraction.is_empty())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut frac: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    for _ in fraction.len()..6 {
        frac *= 10;
    }
    let micros = whole.checked_mul(MICROS_PER_UNIT)?.checked_add(frac)?;
    Some(if negative { -micros } else { micros })
}

/// Micros as an exact decimal in currency units: at least the currency's minor digits, more
/// only where the micros need them (`12.50`, `0.0034`, `-3`).
pub fn format_micros(micros: i64, currency: &str) -> String {
    let digits = minor_digits(currency) as usize;
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let unit = MICROS_PER_UNIT as u64;
    let mut fraction = format!("{:06}", abs % unit);
    while fraction.len() > digits && fraction.ends_with('0') {
        fraction.pop();
    }
    if fraction.is_empty() {
        format!("{sign}{}", abs / unit)
    } else {
        format!("{sign}{}.{fraction}", abs / unit)
    }
}

/// Minor units as a decimal in currency units (`1250` → `12.50`).
pub fn format_minor(minor: i64, currency: &str) -> String {
    format_micros(minor * micros_per_minor(currency), currency)
}

/// Micros rounded to minor units, half to even: the invoice's one rounding (`5,000` micros
/// of USD is half a cent and rounds to 0; `15,000` rounds to 2 cents).
pub fn round_to_minor(micros: i64, currency: &str) -> i64 {
    let step = micros_per_minor(currency);
    let q = micros.div_euclid(step);
    let r = micros.rem_euclid(step);
    match (2 * r).cmp(&step) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_parse_exactly() {
        assert_eq!(parse_amount("amount", &json!(1250), "USD"), Ok(12_500_000));
        assert_eq!(parse_amount("amount", &json!(-3), "USD"), Ok(-30_000));
        assert_eq!(parse_amount("amount", &json!(500), "JPY"), Ok(500_000_000));
        assert_eq!(parse_amount("amount", &json!(1), "KWD"), Ok(1_000));
        assert_eq!(
            parse_amount("amount", &json!("12.50"), "USD"),
            Ok(12_500_000)
        );
        assert_eq!(parse_amount("amount", &json!("0.0034"), "USD"), Ok(3_400));
        assert_eq!(parse_amount("amount", &json!("-7"), "USD"), Ok(-7_000_000));
        assert_eq!(parse_amount("amount", &json!(".5"), "USD"), Ok(500_000));
        for bad in [
            json!(12.5),
            json!("1.2345678"),
            json!("1e3"),
            json!("12,50"),
            json!(""),
            json!("-"),
            json!("1."),
            json!("99999999999999999999"),
            json!(null),
            json!(true),
        ] {
            let e = parse_amount("amount", &bad, "USD").unwrap_err();
            assert!(e.to_string().starts_with("amount: "), "{bad}: {e}");
        }
    }

    #[test]
    fn amounts_format_exactly() {
        assert_eq!(format_micros(12_500_000, "USD"), "12.50");
        assert_eq!(format_micros(3_400, "USD"), "0.0034");
        assert_eq!(format_micros(-3_000_000, "USD"), "-3.00");
        assert_eq!(format_micros(5_000_000, "JPY"), "5");
        assert_eq!(format_micros(-1, "USD"), "-0.000001");
        assert_eq!(format_minor(1250, "USD"), "12.50");
    }

    #[test]
    fn rounding_is_half_to_even() {
        assert_eq!(round_to_minor(5_000, "USD"), 0);
        assert_eq!(round_to_minor(15_000, "USD"), 2);
        assert_eq!(round_to_minor(25_000, "USD"), 2);
        assert_eq!(round_to_minor(25_001, "USD"), 3);
        assert_eq!(round_to_minor(-15_000, "USD"), -2);
        assert_eq!(round_to_minor(-25_000, "USD"), -2);
        assert_eq!(round_to_minor(34_999, "USD"), 3);
        assert_eq!(round_to_minor(1_499_999, "JPY"), 1);
    }
}
