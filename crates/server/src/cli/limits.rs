//! `wasla admin limits`: a WABA's messaging limit tier through the admin API: `show` (tier,
//! unique recipients of the last 24 hours, 7-day peak, next evaluation, each number's quality
//! rating, tier history) and `set --tier`; `--json` prints what the API gives.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{json, Value};

/// `wasla admin limits …`.
#[derive(Debug, Subcommand)]
pub enum LimitsCommand {
    /// A WABA's tier, use, numbers' quality and tier history.
    Show {
        /// WABA id.
        #[arg(long)]
        waba: String,
    },
    /// Set a WABA's tier: TIER_250, TIER_2K, TIER_10K, TIER_100K or TIER_UNLIMITED.
    Set {
        /// WABA id.
        #[arg(long)]
        waba: String,
        /// The tier.
        #[arg(long)]
        tier: String,
    },
}

/// The admin API call of a command: method, path and body.
pub(super) fn request(cmd: &LimitsCommand) -> (Method, String, Option<Value>) {
    match cmd {
        LimitsCommand::Show { waba } => (
            Method::GET,
            format!("/admin/v1/businesses/{waba}/limits"),
            None,
        ),
        LimitsCommand::Set { waba, tier } => (
            Method::PUT,
            format!("/admin/v1/businesses/{waba}/limits"),
            Some(json!({ "tier": tier })),
        ),
    }
}

/// Readable lines of a limits view.
pub(super) fn summary(v: &Value) -> String {
    let s = |v: &Value, k: &str| match &v[k] {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let mut lines = vec![format!(
        "WABA {}  {}  unique recipients (24 h): {} of {}  7-day peak: {}",
        s(v, "waba_id"),
        s(v, "messaging_limit_tier"),
        s(v, "unique_recipients_24h"),
        match v["max_daily_conversations_per_business"].as_i64() {
            Some(-1) | None => "unlimited".to_string(),
            Some(n) => n.to_string(),
        },
        s(v, "peak_7d"),
    )];
    for n in v["numbers"].as_array().into_iter().flatten() {
        lines.push(format!(
            "  number {} ({})  quality {}  ({} blocks or reports among {} people in 7 days)",
            s(n, "id"),
            s(n, "display_phone_number"),
            s(n, "quality_rating"),
            s(n, "signals"),
            s(n, "reach"),
        ));
    }
    for h in v["history"].as_array().into_iter().flatten() {
        lines.push(format!(
            "  {} → {} ({}) at {}",
            s(h, "old_tier"),
            s(h, "new_tier"),
            s(h, "reason"),
            s(h, "at"),
        ));
    }
    lines.join("\n")
}
