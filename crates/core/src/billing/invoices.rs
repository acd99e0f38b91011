//! Monthly invoices. A WABA's invoice covers one calendar month in its time zone: its charges
//! grouped into lines by kind, pricing category and market (how many entries, their exact sum),
//! then its top-ups and adjustments listed one by one, and the balance before and after.
//!
//! Rounding happens once, here: each line's micros are summed exactly, the sum is rounded half
//! to even to the currency's minor units, and the invoice's total is the sum of the rounded
//! lines. The exact total (`charges_micros`) is shown beside it and equals minus the sum of the
//! month's charges in the ledger, to the micro. [`Billing::invoice`] is what the admin API, the
//! console, the CLI (through the admin API) and tests call; `invoice_docs.rs` writes it as CSV
//! and as a printable page.

use super::amounts::{format_minor, minor_digits, round_to_minor};
use super::Billing;
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;
use wasla_types::billing::{Invoice, InvoiceCredit, InvoiceLine};

impl Billing {
    /// A WABA's invoice for `month` (`YYYY-MM`, or `current` for the month now in its time
    /// zone).
    pub async fn invoice(&self, waba_id: i64, month: &str) -> Result<Invoice> {
        let waba = self
            .business
            .waba_row(waba_id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no business account {waba_id}")))?;
        let (account, currency) = self.store.balance_account(waba_id).await?;
        let tz: Tz = account.timezone.parse().unwrap_or(chrono_tz::UTC);
        let (year, mon) = if month == "current" {
            let now = tz
                .timestamp_millis_opt(self.ground.now())
                .single()
                .ok_or_else(|| Error::internal("the clock is out of range"))?;
            (now.year(), now.month())
        } else {
            parse_month(month)?
        };
        let (from, to) = month_bounds(tz, year, mon)?;
        let mut lines: Vec<InvoiceLine> = self
            .store
            .invoice_charges(waba_id, from, to)
            .await?
            .into_iter()
            .map(|(kind, category, market, count, sum)| {
                let cost = -sum;
                let minor = round_to_minor(cost, &currency);
                InvoiceLine {
                    kind,
                    category,
                    market,
                    count,
                    amount_micros: cost,
                    amount_minor: minor,
                    amount: format_minor(minor, &currency),
                }
            })
            .collect();
        lines.sort_by(|a, b| {
            (&a.kind, &a.category, &a.market).cmp(&(&b.kind, &b.category, &b.market))
        });
        let credits: Vec<InvoiceCredit> = self
            .store
            .invoice_credits(waba_id, from, to)
            .await?
            .into_iter()
            .map(|e| {
                let minor = round_to_minor(e.amount_micros, &currency);
                InvoiceCredit {
                    id: e.id.to_string(),
                    kind: e.kind,
                    at: e.at,
                    amount_micros: e.amount_micros,
                    amount_minor: minor,
                    amount: format_minor(minor, &currency),
                    note: e.note,
                    actor: e.actor,
                }
            })
            .collect();
        let charges_micros: i64 = lines.iter().map(|l| l.amount_micros).sum();
        let total_minor: i64 = lines.iter().map(|l| l.amount_minor).sum();
        let credits_micros: i64 = credits.iter().map(|c| c.amount_micros).sum();
        let opening = self.store.balance_micros(waba_id, Some(from)).await?;
        let closing = self.store.balance_micros(waba_id, Some(to)).await?;
        Ok(Invoice {
            waba_id: waba_id.to_string(),
            business_name: waba.name,
            month: format!("{year:04}-{mon:02}"),
            timezone: tz.name().to_string(),
            period_start: from,
            period_end: to,
            minor_digits: minor_digits(&currency),
            lines,
            credits,
            charges_micros,
            total_minor,
            total: format_minor(total_minor, &currency),
            credits_micros,
            opening_balance_micros: opening,
            closing_balance_micros: closing,
            currency,
        })
    }
}

/// `YYYY-MM` as (year, month), or a bad request naming `month`.
pub fn parse_month(month: &str) -> Result<(i32, u32)> {
    let bad = || {
        Error::bad(format!(
            "month: {month:?} is not a month: write YYYY-MM (such as 2026-07) or \"current\""
        ))
    };
    let (y, m) = month.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&m) || y < 1970 {
        return Err(bad());
    }
    Ok((y, m))
}

/// The first instants (Unix ms) of a month and of the next one in `tz`.
pub fn month_bounds(tz: Tz, year: i32, month: u32) -> Result<(i64, i64)> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Ok((month_start(tz, year, month)?, month_start(tz, ny, nm)?))
}

/// The first instant of a month's first day in `tz` (midnight, or the first hour that exists
/// where a clock change skips midnight).
fn month_start(tz: Tz, year: i32, month: u32) -> Result<i64> {
    let day = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| Error::bad(format!("month: {year:04}-{month:02} is out of range")))?;
    for hour in 0..24 {
        let local = day.and_hms_opt(hour, 0, 0).expect("valid hour");
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return Ok(t.timestamp_millis());
        }
    }
    Err(Error::internal(format!(
        "no first hour of {year:04}-{month:02} in {}",
        tz.name()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound_in_the_time_zone() {
        assert_eq!(parse_month("2026-07"), Ok((2026, 7)));
        for bad in [
            "2026-13", "2026-7", "26-07", "2026/07", "", "2026-00", "x026-07",
        ] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        let (from, to) = month_bounds(chrono_tz::UTC, 2026, 12).unwrap();
        assert_eq!(from, 1_796_083_200_000);
        assert_eq!(to, 1_798_761_600_000);
        // Berlin is UTC+2 in July 2026: the month starts at 22:00 UTC the day before.
        let (from, _) = month_bounds(chrono_tz::Europe::Berlin, 2026, 7).unwrap();
        assert_eq!(from, 1_782_864_000_000 - 2 * 3_600_000);
    }
}
