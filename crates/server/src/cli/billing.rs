//! `wasla admin billing …`: a WABA's balance, top-ups, adjustments, credit limit and
//! low-balance threshold, ledger and monthly invoices, through the admin API
//! (`/admin/v1/billing/accounts/{waba_id}…`). Amounts are given as decimals in currency units
//! (`--amount 12.50`, sent as an exact string) or as whole minor units (`--minor 1250`); the
//! server keeps them in micros. `--json` prints what the API answers.

use anyhow::bail;
use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{json, Value};

/// `wasla admin billing …`.
#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// A WABA's balance, credit limit, threshold and standing warning.
    Balance {
        /// WABA id.
        #[arg(long)]
        waba: u64,
    },
    /// Add money to a WABA's balance.
    #[command(name = "top-up")]
    TopUp(CreditArgs),
    /// Correct a WABA's balance (negative amounts take money off).
    Adjust(CreditArgs),
    /// Set a WABA's credit limit (`none` for no limit), low-balance threshold or time zone.
    #[command(name = "credit-limit")]
    CreditLimit {
        /// WABA id.
        #[arg(long)]
        waba: u64,
        /// How far below zero the balance may go, in currency units (`0` for prepaid only),
        /// or `none`.
        #[arg(long)]
        limit: Option<String>,
        /// Warn the business when what it can spend drops below this, in currency units.
        #[arg(long)]
        threshold: Option<String>,
        /// IANA time zone of its months and invoices (`Europe/Berlin`).
        #[arg(long)]
        timezone: Option<String>,
    },
    /// A WABA's ledger, newest first.
    Ledger {
        /// WABA id.
        #[arg(long)]
        waba: u64,
        /// Only entries older than this entry id (the `next_before` of a previous page).
        #[arg(long)]
        before: Option<u64>,
        /// How many (1 to 500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// A WABA's invoice for a month of its time zone.
    Invoice {
        /// WABA id.
        #[arg(long)]
        waba: u64,
        /// `YYYY-MM`, or `current`.
        #[arg(long, default_value = "current")]
        month: String,
        /// `text` (a summary), `csv` or `html` (the printable page).
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Rate cards: list, import, export, and the card a WABA is rated on.
    #[command(subcommand)]
    Cards(super::billing_cards::CardsCommand),
}

/// A top-up or an adjustment.
#[derive(Debug, Args)]
pub struct CreditArgs {
    /// WABA id.
    #[arg(long)]
    pub waba: u64,
    /// Amount in currency units, as an exact decimal (`12.50`, `-3`).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "minor")]
    pub amount: Option<String>,
    /// Amount in whole minor units (`1250` is 12.50).
    #[arg(long, allow_hyphen_values = true)]
    pub minor: Option<i64>,
    /// Why (shown on the invoice).
    #[arg(long)]
    pub note: Option<String>,
    /// Who is making it, for the record.
    #[arg(long)]
    pub by: Option<String>,
}

/// What to ask the admin API: method, path, body.
pub(super) fn request(cmd: &BillingCommand) -> anyhow::Result<(Method, String, Option<Value>)> {
    let base = |waba: &u64| format!("/admin/v1/billing/accounts/{waba}");
    Ok(match cmd {
        BillingCommand::Cards(c) => return super::billing_cards::request(c),
        BillingCommand::Balance { waba } => (Method::GET, base(waba), None),
        BillingCommand::TopUp(a) | BillingCommand::Adjust(a) => {
            let amount = match (&a.amount, a.minor) {
                (Some(s), None) => json!(s),
                (None, Some(m)) => json!(m),
                _ => bail!("give --amount (currency units) or --minor (minor units)"),
            };
            let kind = if matches!(cmd, BillingCommand::TopUp(_)) {
                "top-ups"
            } else {
                "adjustments"
            };
            (
                Method::POST,
                format!("{}/{kind}", base(&a.waba)),
                Some(json!({"amount": amount, "note": a.note, "actor": a.by})),
            )
        }
        BillingCommand::CreditLimit {
            waba,
            limit,
            threshold,
            timezone,
        } => {
            let mut body = serde_json::Map::new();
            if let Some(l) = limit {
                body.insert("credit_limit".into(), json!(l));
            }
            if let Some(t) = threshold {
                body.insert("low_balance_threshold".into(), json!(t));
            }
            if let Some(tz) = timezone {
                body.insert("timezone".into(), json!(tz));
            }
            if body.is_empty() {
                bail!("give --limit, --threshold or --timezone");
            }
            (Method::PATCH, base(waba), Some(Value::Object(body)))
        }
        BillingCommand::Ledger {
            waba,
            before,
            limit,
        } => {
            let mut path = format!("{}/ledger?limit={limit}", base(waba));
            if let Some(b) = before {
                path.push_str(&format!("&before={b}"));
            }
            (Method::GET, path, None)
        }
        BillingCommand::Invoice {
            waba,
            month,
            format,
        } => {
            let suffix = match format.as_str() {
                "text" | "json" => "",
                "csv" => "/csv",
                "html" => "/html",
                other => bail!("--format {other:?}: give text, csv or html"),
            };
            (
                Method::GET,
                format!("{}/invoices/{month}{suffix}", base(waba)),
                None,
            )
        }
    })
}

/// Whether the answer is a document (CSV or HTML) to print as it is.
pub(super) fn wants_text(cmd: &BillingCommand) -> bool {
    matches!(cmd, BillingCommand::Invoice { format, .. } if format == "csv" || format == "html")
        || matches!(cmd, BillingCommand::Cards(c) if super::billing_cards::wants_text(c))
}

/// Readable lines for an answer.
pub(super) fn summary(cmd: &BillingCommand, v: &Value) -> String {
    let s = |v: &Value, k: &str| match &v[k] {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    match cmd {
        BillingCommand::Cards(c) => super::billing_cards::summary(c, v),
        BillingCommand::Balance { .. } | BillingCommand::CreditLimit { .. } => {
            let cur = s(v, "currency");
            let limit = match v["credit_limit_micros"].as_i64() {
                Some(m) => format!("{} {cur}", micros(m)),
                None => "none".into(),
            };
            let mut out = format!(
                "WABA {}: balance {} {cur}, credit limit {limit}, warn below {} {cur}, \
                 months in {}",
                s(v, "waba_id"),
                s(v, "balance"),
                micros(v["low_balance_threshold_micros"].as_i64().unwrap_or(0)),
                s(v, "timezone"),
            );
            if let Some(msg) = v["low_balance"]["message"].as_str() {
                out.push_str(&format!("\nLOW BALANCE: {msg}"));
            }
            out
        }
        BillingCommand::TopUp(_) | BillingCommand::Adjust(_) => format!(
            "{} {} {} {} (entry {})",
            s(v, "kind"),
            s(v, "amount"),
            s(v, "currency"),
            v["note"].as_str().unwrap_or(""),
            s(v, "id"),
        ),
        BillingCommand::Ledger { .. } => {
            let mut rows: Vec<String> = v["data"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| {
                            format!(
                                "{}  {:<10} {:>14} {}  {} {} {}",
                                s(e, "id"),
                                s(e, "kind"),
                                s(e, "amount"),
                                s(e, "currency"),
                                e["category"].as_str().unwrap_or(""),
                                e["market"].as_str().unwrap_or(""),
                                e["note"].as_str().unwrap_or(""),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            if rows.is_empty() {
                rows.push("(none)".into());
            }
            if let Some(next) = v["next_before"].as_str() {
                rows.push(format!("(older entries: --before {next})"));
            }
            rows.join("\n")
        }
        BillingCommand::Invoice { .. } => {
            let cur = s(v, "currency");
            let mut out = vec![format!(
                "Invoice {} for {} (WABA {}), {}",
                s(v, "month"),
                s(v, "business_name"),
                s(v, "waba_id"),
                s(v, "timezone")
            )];
            for l in v["lines"].as_array().into_iter().flatten() {
                out.push(format!(
                    "  {:<28} {:<24} {:>8} {:>12} {cur}",
                    format!("{} {}", s(l, "kind"), s(l, "category")),
                    s(l, "market"),
                    s(l, "count"),
                    s(l, "amount"),
                ));
            }
            out.push(format!("  total {} {cur}", s(v, "total")));
            for c in v["credits"].as_array().into_iter().flatten() {
                out.push(format!(
                    "  {} {} {cur} {}",
                    s(c, "kind"),
                    s(c, "amount"),
                    c["note"].as_str().unwrap_or("")
                ));
            }
            out.join("\n")
        }
    }
}

/// Micros as a plain decimal (the API's strings carry the currency's own digits).
fn micros(m: i64) -> String {
    let sign = if m < 0 { "-" } else { "" };
    let abs = m.unsigned_abs();
    let mut frac = format!("{:06}", abs % 1_000_000);
    while frac.len() > 2 && frac.ends_with('0') {
        frac.pop();
    }
    format!("{sign}{}.{frac}", abs / 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_amounts_exactly() {
        let (m, path, body) = request(&BillingCommand::TopUp(CreditArgs {
            waba: 7,
            amount: Some("12.50".into()),
            minor: None,
            note: Some("wire".into()),
            by: None,
        }))
        .unwrap();
        assert_eq!(m, Method::POST);
        assert_eq!(path, "/admin/v1/billing/accounts/7/top-ups");
        assert_eq!(body.unwrap()["amount"], json!("12.50"));
        let (_, path, _) = request(&BillingCommand::Invoice {
            waba: 7,
            month: "2026-07".into(),
            format: "csv".into(),
        })
        .unwrap();
        assert_eq!(path, "/admin/v1/billing/accounts/7/invoices/2026-07/csv");
        assert_eq!(micros(-3_400), "-0.0034");
        assert_eq!(micros(12_500_000), "12.50");
    }
}
