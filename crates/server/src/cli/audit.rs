//! `wasla admin audit`: the audit log through the admin API, newest first, one line per entry
//! (when, who, what, from where) or `--json` as the API gives it.

use clap::Args;
use serde_json::Value;

/// `wasla admin audit` arguments.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this WABA's entries.
    #[arg(long)]
    pub waba: Option<u64>,
    /// Only entries older than this entry id (the `next_before` of a previous page).
    #[arg(long)]
    pub before: Option<u64>,
    /// How many (1 to 200).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

/// The admin API path for these arguments.
pub(super) fn path(a: &AuditArgs) -> String {
    let mut path = format!("/admin/v1/audit?limit={}", a.limit);
    if let Some(w) = a.waba {
        path.push_str(&format!("&waba_id={w}"));
    }
    if let Some(b) = a.before {
        path.push_str(&format!("&before={b}"));
    }
    path
}

/// One readable line per entry, and how to get the next page.
pub(super) fn summary(v: &Value) -> String {
    let s = |e: &Value, k: &str| e[k].as_str().unwrap_or("-").to_string();
    let rows: Vec<String> = v["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let actor = &e["actor"];
                    let who = match actor["kind"].as_str().unwrap_or_default() {
                        "operator" => "operator".to_string(),
                        "agent" => format!("agent {}", s(actor, "email")),
                        kind => format!("{kind} of WABA {}", s(actor, "id")),
                    };
                    let target = e["target"]
                        .as_str()
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default();
                    format!(
                        "{}  WABA {}  {who}  {} {}{target} → {}  from {} ({})",
                        utc(e["at"].as_i64().unwrap_or_default()),
                        s(e, "waba_id"),
                        s(e, "method"),
                        s(e, "route"),
                        e["status"],
                        s(e, "client_address"),
                        s(e, "user_agent"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut out = if rows.is_empty() {
        "(none)".to_string()
    } else {
        rows.join("\n")
    };
    if let Some(next) = v["next_before"].as_str() {
        out.push_str(&format!("\n(older entries: --before {next})"));
    }
    out
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC, proleptic Gregorian calendar).
fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date, counting eras of 400 years from 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_735_689_599_000), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn paths_carry_the_filters() {
        let a = AuditArgs {
            waba: Some(7),
            before: Some(9),
            limit: 20,
        };
        assert_eq!(path(&a), "/admin/v1/audit?limit=20&waba_id=7&before=9");
    }
}
