//! `wasla admin ads …`: the operator's review of click-to-chat ad campaigns through the admin
//! API (`/admin/v1/ads/campaigns…`): `list [--status pending_review]`, `show <id>` (with daily
//! counters), `reports <id>`, `approve <id>`, `reject <id> --reason "…"`. `--json` prints what
//! the API answers.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{json, Value};

/// `wasla admin ads …`.
#[derive(Debug, Subcommand)]
pub enum AdsCommand {
    /// Campaigns, newest first (all, or in one status such as `pending_review`).
    List {
        /// `pending_review`, `approved`, `rejected`, `paused` or `ended`.
        #[arg(long)]
        status: Option<String>,
    },
    /// One campaign with its daily counters.
    Show {
        /// Campaign id.
        id: String,
    },
    /// What people reported about a campaign (reasons only).
    Reports {
        /// Campaign id.
        id: String,
    },
    /// Approve a campaign: it may run.
    Approve {
        /// Campaign id.
        id: String,
    },
    /// Reject a campaign with a reason the business sees.
    Reject {
        /// Campaign id.
        id: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
}

/// The admin API call of a command: method, path and body.
pub(super) fn request(cmd: &AdsCommand) -> (Method, String, Option<Value>) {
    let base = "/admin/v1/ads/campaigns";
    match cmd {
        AdsCommand::List { status: Some(s) } => (Method::GET, format!("{base}?status={s}"), None),
        AdsCommand::List { status: None } => (Method::GET, base.to_string(), None),
        AdsCommand::Show { id } => (Method::GET, format!("{base}/{id}"), None),
        AdsCommand::Reports { id } => (Method::GET, format!("{base}/{id}/reports"), None),
        AdsCommand::Approve { id } => (Method::POST, format!("{base}/{id}/approve"), None),
        AdsCommand::Reject { id, reason } => (
            Method::POST,
            format!("{base}/{id}/reject"),
            Some(json!({ "reason": reason })),
        ),
    }
}

fn line(c: &Value) -> String {
    let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
    let mut out = format!(
        "{}  {}  {}  budget {} {} /day  bid {} per 1000  reports {}",
        s("id"),
        s("status"),
        s("headline"),
        c["daily_budget"],
        s("currency"),
        c["bid_cpm"],
        c["reports"]
    );
    if let Some(r) = c["rejection_reason"].as_str() {
        out.push_str(&format!("  (rejected: {r})"));
    }
    out
}

/// Readable lines for an answer.
pub(super) fn summary(cmd: &AdsCommand, v: &Value) -> String {
    match cmd {
        AdsCommand::List { .. } => {
            let lines: Vec<String> = v["data"]
                .as_array()
                .map(|a| a.iter().map(line).collect())
                .unwrap_or_default();
            if lines.is_empty() {
                "no campaigns".into()
            } else {
                lines.join("\n")
            }
        }
        AdsCommand::Reports { .. } => v["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| r["reason"].as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "no reports".into()),
        _ => {
            let mut out = line(v);
            for d in v["days"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "\n  {}  impressions {}  taps {}  chats {}  spend {} micros",
                    d["date"].as_str().unwrap_or_default(),
                    d["impressions"],
                    d["taps"],
                    d["chats_started"],
                    d["spend_micros"]
                ));
            }
            out
        }
    }
}
