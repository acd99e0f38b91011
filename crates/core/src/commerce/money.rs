//! Money: ISO 4217 currencies with their minor-unit exponents, amounts as `{value, offset}`,
//! readable prices, and the operator's platform fee. Everything is integer minor units.

use crate::error::{Error, Result};

/// Currencies and their exponents (digits after the decimal point).
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("GHS", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("LBP", 2),
    ("LKR", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PEN", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("RON", 2),
    ("RUB", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("VND", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("ZAR", 2),
];

/// The exponent of a supported ISO 4217 currency.
pub fn exponent(currency: &str) -> Result<u32> {
    CURRENCIES
        .iter()
        .find(|(c, _)| *c == currency)
        .map(|(_, e)| *e)
        .ok_or_else(|| {
            Error::bad(format!(
                "currency {currency:?} is not a supported ISO 4217 code"
            ))
        })
}

/// `10^exponent`: the `offset` an amount in this currency must use.
pub fn offset(currency: &str) -> Result<i64> {
    Ok(10i64.pow(exponent(currency)?))
}

/// `1250, "EUR"` → `12.50 EUR`.
pub fn format(minor: i64, currency: &str) -> String {
    let exp = exponent(currency).unwrap_or(2);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs} {currency}");
    }
    let div = 10u64.pow(exp);
    format!(
        "{sign}{}.{:0width$} {currency}",
        abs / div,
        abs % div,
        width = exp as usize
    )
}

/// Major units for the one Cloud API field that is defined that way (`item_price`).
pub fn major(minor: i64, currency: &str) -> f64 {
    minor as f64 / 10f64.powi(exponent(currency).unwrap_or(2) as i32)
}

/// The platform fee on `gross`: basis points rounded half up, plus a fixed part, never more
/// than the amount itself.
pub fn fee(gross: i64, basis_points: i64, fixed: i64) -> i64 {
    let pct = (gross as i128 * basis_points as i128 + 5_000) / 10_000;
    (pct as i64 + fixed).clamp(0, gross.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_have_their_exponents() {
        assert_eq!(format(1250, "EUR"), "12.50 EUR");
        assert_eq!(format(1250, "JPY"), "1250 JPY");
        assert_eq!(format(1250, "KWD"), "1.250 KWD");
        assert_eq!(format(-5, "USD"), "-0.05 USD");
        assert_eq!(offset("BHD").unwrap(), 1000);
        assert!(exponent("XXX").is_err());
        assert_eq!(major(1999, "USD"), 19.99);
    }

    #[test]
    fn fee_is_percentage_plus_fixed() {
        assert_eq!(fee(10_000, 290, 30), 320);
        assert_eq!(fee(1, 290, 0), 0);
        assert_eq!(fee(50, 0, 100), 50);
    }
}
