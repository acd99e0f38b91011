//! Days and pacing. A campaign's day is the calendar day in its WABA's billing time zone. By
//! any moment of that day it may have spent at most its daily budget times the share of the
//! day gone by, plus a burst of one hour's share, and never more than the budget. An
//! impression costs `bid_cpm / 1000` minor units, which in billing's micros is exact.

use crate::billing::micros_per_minor;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A day of a campaign: its date and where it starts and ends, Unix ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// First millisecond.
    pub start: i64,
    /// First millisecond of the next day.
    pub end: i64,
}

fn local_midnight(tz: Tz, date: NaiveDate) -> i64 {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight");
    // A zone whose clocks skip midnight starts the day at the first moment that exists.
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(naive + Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| naive.and_utc().timestamp_millis())
}

/// The day holding `now` in the time zone `timezone` (UTC when it is not a zone's name).
pub fn day_of(timezone: &str, now: i64) -> AdDay {
    let tz: Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
    let local = Utc
        .timestamp_millis_opt(now)
        .single()
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive();
    let next = local.succ_opt().unwrap_or(local);
    AdDay {
        date: local.format("%Y-%m-%d").to_string(),
        start: local_midnight(tz, local),
        end: local_midnight(tz, next),
    }
}

/// What one impression costs, in micros, at a bid of `bid_cpm` minor units per thousand.
pub fn impression_micros(bid_cpm: i64, currency: &str) -> i64 {
    // micros_per_minor is 1,000,000 / 10^digits, a multiple of 1,000 for currencies of up to
    // three minor digits, so this is exact.
    bid_cpm.saturating_mul(micros_per_minor(currency)) / 1000
}

/// The most a campaign may have spent by `now` of `day`, in micros.
pub fn allowed_micros(daily_budget: i64, currency: &str, day: &AdDay, now: i64) -> i64 {
    let budget = i128::from(daily_budget) * i128::from(micros_per_minor(currency));
    let length = i128::from((day.end - day.start).max(1));
    let elapsed = i128::from((now - day.start).clamp(0, day.end - day.start));
    let burst = budget * 3_600_000 / length;
    let allowed = (budget * elapsed / length + burst).min(budget);
    allowed.min(i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_follow_the_zone() {
        // 2026-03-10 23:30 UTC is already the 11th in Berlin.
        let now = 1_773_185_400_000;
        assert_eq!(day_of("UTC", now).date, "2026-03-10");
        let berlin = day_of("Europe/Berlin", now);
        assert_eq!(berlin.date, "2026-03-11");
        assert_eq!(berlin.end - berlin.start, 86_400_000);
    }

    #[test]
    fn pace_grows_through_the_day_and_stops_at_the_budget() {
        let day = day_of("UTC", 1_773_100_800_000);
        // 10.00 USD a day: a quarter of the day gone allows 2.50 plus an hour's 0.4166….
        let quarter = allowed_micros(1000, "USD", &day, day.start + 21_600_000);
        assert_eq!(quarter, 2_500_000 + 416_666);
        assert_eq!(allowed_micros(1000, "USD", &day, day.end - 1), 10_000_000);
        assert_eq!(impression_micros(250, "USD"), 2_500);
        assert_eq!(impression_micros(7, "JPY"), 7_000);
    }
}
