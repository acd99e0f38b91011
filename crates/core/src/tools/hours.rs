//! Business hours: whether a business number is open at an instant, and when it opens next,
//! from weekly hours in the business's IANA time zone (daylight saving included) and its
//! holidays. Pure functions of the settings and a Unix-ms instant, so the clock decides.

use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use wasla_types::tools::{AutomationSettings, OpenState};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The settings' time zone (UTC when unset).
pub fn time_zone(s: &AutomationSettings) -> Result<Tz> {
    let name = s.time_zone.as_deref().unwrap_or("UTC");
    name.parse::<Tz>()
        .map_err(|_| Error::bad(format!("unknown time zone {name:?}: use an IANA name")))
}

fn hm(s: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| Error::bad(format!("{s:?} is not a time of day (HH:MM)")))
}

/// A local `YYYY-MM-DDTHH:MM` in the business's zone, as Unix ms (the earlier instant when a
/// clock change repeats it, the moment after when it skips it).
pub fn local_instant(tz: &Tz, s: &str) -> Result<i64> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .map_err(|_| Error::bad(format!("{s:?} is not a local time (YYYY-MM-DDTHH:MM)")))?;
    let at = tz
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or_else(|| Error::bad(format!("{s:?} does not exist in this time zone")))?;
    Ok(at.timestamp_millis())
}

/// Check the hours, holidays and time zone of settings.
pub fn validate(s: &AutomationSettings) -> Result<()> {
    time_zone(s)?;
    for h in &s.hours {
        if !DAYS.contains(&h.day.as_str()) {
            return Err(Error::bad(format!(
                "day {:?} is not one of mon, tue, wed, thu, fri, sat, sun",
                h.day
            )));
        }
        if hm(&h.open)? >= hm(&h.close)? {
            return Err(Error::bad(format!(
                "on {} the business must open before it closes",
                h.day
            )));
        }
    }
    for d in &s.holidays {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Error::bad(format!("holiday {d:?} is not a date (YYYY-MM-DD)")))?;
    }
    Ok(())
}

fn day_name(d: Weekday) -> &'static str {
    DAYS[d.num_days_from_monday() as usize]
}

/// Whether the business is open at `now_ms`.
pub fn is_open(s: &AutomationSettings, now_ms: i64) -> Result<bool> {
    let tz = time_zone(s)?;
    let local = utc(now_ms).with_timezone(&tz);
    let date = local.date_naive().format("%Y-%m-%d").to_string();
    if s.holidays.contains(&date) {
        return Ok(false);
    }
    let time = local.time();
    for h in s
        .hours
        .iter()
        .filter(|h| h.day == day_name(local.weekday()))
    {
        if hm(&h.open)? <= time && time < hm(&h.close)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// Open now, or when it opens next within eight days.
pub fn open_state(s: &AutomationSettings, now_ms: i64) -> Result<OpenState> {
    let tz = time_zone(s)?;
    let open_now = is_open(s, now_ms)?;
    let mut opens_at = None;
    let closes_at = if open_now {
        closing_time(s, &tz, now_ms)?
    } else {
        None
    };
    if !open_now {
        let today = utc(now_ms).with_timezone(&tz).date_naive();
        'days: for offset in 0..8 {
            let date = today + chrono::Duration::days(offset);
            if s.holidays.contains(&date.format("%Y-%m-%d").to_string()) {
                continue;
            }
            let mut opens: Vec<NaiveTime> = s
                .hours
                .iter()
                .filter(|h| h.day == day_name(date.weekday()))
                .filter_map(|h| hm(&h.open).ok())
                .collect();
            opens.sort();
            for t in opens {
                let at =
                    local_instant(&tz, &date.and_time(t).format("%Y-%m-%dT%H:%M").to_string())?;
                if at > now_ms {
                    opens_at = Some(at);
                    break 'days;
                }
            }
        }
    }
    Ok(OpenState {
        open_now,
        opens_at,
        closes_at,
        time_zone: tz.name().to_string(),
    })
}

/// While open: the end of the slot that holds `now_ms`, carried on through today's slots that
/// start before it ends.
fn closing_time(s: &AutomationSettings, tz: &Tz, now_ms: i64) -> Result<Option<i64>> {
    let local = utc(now_ms).with_timezone(tz);
    let time = local.time();
    let mut slots = Vec::new();
    for h in s
        .hours
        .iter()
        .filter(|h| h.day == day_name(local.weekday()))
    {
        slots.push((hm(&h.open)?, hm(&h.close)?));
    }
    let Some(mut close) = slots
        .iter()
        .filter(|(o, c)| *o <= time && time < *c)
        .map(|(_, c)| *c)
        .max()
    else {
        return Ok(None);
    };
    while let Some(later) = slots
        .iter()
        .filter(|(o, c)| *o <= close && *c > close)
        .map(|(_, c)| *c)
        .max()
    {
        close = later;
    }
    let at = local.date_naive().and_time(close);
    local_instant(tz, &at.format("%Y-%m-%dT%H:%M").to_string()).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasla_types::tools::DayHours;

    fn berlin() -> AutomationSettings {
        AutomationSettings {
            time_zone: Some("Europe/Berlin".into()),
            hours: DAYS
                .iter()
                .map(|d| DayHours {
                    day: d.to_string(),
                    open: "09:00".into(),
                    close: "17:00".into(),
                })
                .collect(),
            holidays: vec!["2026-12-25".into()],
            ..Default::default()
        }
    }

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn daylight_saving_moves_the_hours_in_utc() {
        let s = berlin();
        // Saturday before the change (CET, UTC+1): 08:30 UTC is 09:30 local.
        assert!(is_open(&s, at("2026-03-28T08:30:00Z")).unwrap());
        // Sunday after it (CEST, UTC+2): 07:30 UTC is 09:30 local, 15:30 UTC is 17:30.
        assert!(is_open(&s, at("2026-03-29T07:30:00Z")).unwrap());
        assert!(!is_open(&s, at("2026-03-29T15:30:00Z")).unwrap());
        assert!(!is_open(&s, at("2026-12-25T10:00:00Z")).unwrap());
    }

    #[test]
    fn next_opening_skips_holidays() {
        let s = berlin();
        let st = open_state(&s, at("2026-12-24T18:00:00Z")).unwrap();
        assert!(!st.open_now);
        assert_eq!(st.opens_at, Some(at("2026-12-26T08:00:00Z")));
    }

    #[test]
    fn closing_time_joins_slots_that_meet() {
        let mut s = berlin();
        s.hours.push(DayHours {
            day: "thu".into(),
            open: "17:00".into(),
            close: "19:30".into(),
        });
        // Thursday 2026-12-10, 10:00 in Berlin (CET): open until 19:30 local = 18:30 UTC.
        let st = open_state(&s, at("2026-12-10T09:00:00Z")).unwrap();
        assert!(st.open_now);
        assert_eq!(st.closes_at, Some(at("2026-12-10T18:30:00Z")));
        // Friday has only 09:00–17:00.
        let st = open_state(&s, at("2026-12-11T09:00:00Z")).unwrap();
        assert_eq!(st.closes_at, Some(at("2026-12-11T16:00:00Z")));
        let closed = open_state(&s, at("2026-12-11T20:00:00Z")).unwrap();
        assert_eq!(closed.closes_at, None);
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut s = berlin();
        s.time_zone = Some("Mars/Olympus".into());
        assert!(validate(&s).is_err());
        let mut s = berlin();
        s.hours[0].close = "08:00".into();
        assert!(validate(&s).is_err());
    }
}
