//! `wasla admin billing cards …`: rate cards through the admin API
//! (`/admin/v1/billing/cards…`): list the versions, import one from a CSV file (a refused
//! card prints its report line by line), export one as CSV, and rate a WABA on a named card
//! with a discount. `--json` prints what the API answers.

use anyhow::Context;
use clap::Subcommand;
use reqwest::Method;
use serde_json::{json, Value};
use std::path::PathBuf;

/// `wasla admin billing cards …`.
#[derive(Debug, Subcommand)]
pub enum CardsCommand {
    /// Every card version, oldest first.
    List,
    /// Import a card version from a CSV file in Meta's layout (`docs/billing.md`).
    Import {
        /// Card name (`default` replaces the default card from its date on).
        #[arg(long)]
        name: String,
        /// First day it applies, `YYYY-MM-DD`.
        #[arg(long)]
        effective_from: String,
        /// Where its rates come from.
        #[arg(long)]
        source: String,
        /// The CSV file.
        file: PathBuf,
    },
    /// Print a card version as CSV.
    Export {
        /// Card version id (from `list`).
        id: u64,
    },
    /// Rate a WABA on a named card, with a discount in basis points.
    Assign {
        /// WABA id.
        #[arg(long)]
        waba: u64,
        /// Card name.
        #[arg(long)]
        card: String,
        /// Discount in basis points (100 = 1 %).
        #[arg(long, default_value_t = 0)]
        discount_bp: i64,
    },
}

/// What to ask the admin API: method, path, body.
pub(super) fn request(cmd: &CardsCommand) -> anyhow::Result<(Method, String, Option<Value>)> {
    Ok(match cmd {
        CardsCommand::List => (Method::GET, "/admin/v1/billing/cards".into(), None),
        CardsCommand::Import {
            name,
            effective_from,
            source,
            file,
        } => {
            let csv = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            (
                Method::POST,
                "/admin/v1/billing/cards".into(),
                Some(
                    json!({"name": name, "effective_from": effective_from, "source": source, "csv": csv}),
                ),
            )
        }
        CardsCommand::Export { id } => (
            Method::GET,
            format!("/admin/v1/billing/cards/{id}/csv"),
            None,
        ),
        CardsCommand::Assign {
            waba,
            card,
            discount_bp,
        } => (
            Method::PUT,
            format!("/admin/v1/billing/accounts/{waba}/card"),
            Some(json!({"card_name": card, "discount_bp": discount_bp})),
        ),
    })
}

/// Whether the answer is a document to print as it is (the exported CSV).
pub(super) fn wants_text(cmd: &CardsCommand) -> bool {
    matches!(cmd, CardsCommand::Export { .. })
}

/// Readable lines for an answer (a refusal's report included).
pub(super) fn summary(cmd: &CardsCommand, v: &Value) -> String {
    let s = |v: &Value, k: &str| match &v[k] {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    if let Some(problems) = v["error"]["problems"].as_array() {
        let mut out = vec![s(&v["error"], "message")];
        out.extend(
            problems
                .iter()
                .map(|p| format!("  line {}: {}", s(p, "line"), s(p, "message"))),
        );
        return out.join("\n");
    }
    let card = |c: &Value| {
        format!(
            "{}  {:<16} {}  from {}  {} rates  ({})",
            s(c, "id"),
            s(c, "name"),
            s(c, "currency"),
            s(c, "effective_from"),
            s(c, "rows"),
            s(c, "source")
        )
    };
    match cmd {
        CardsCommand::List => {
            let rows: Vec<String> = v["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(card)
                .collect();
            if rows.is_empty() {
                "(none)".into()
            } else {
                rows.join("\n")
            }
        }
        CardsCommand::Import { .. } => format!("imported {}", card(v)),
        CardsCommand::Export { .. } => v.to_string(),
        CardsCommand::Assign { waba, .. } => format!(
            "WABA {waba} is rated on card {} with a discount of {} bp",
            s(v, "card_name"),
            s(v, "discount_bp")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_reports() {
        let (m, path, body) = request(&CardsCommand::Assign {
            waba: 7,
            card: "vip".into(),
            discount_bp: 250,
        })
        .unwrap();
        assert_eq!(
            (m, path.as_str()),
            (Method::PUT, "/admin/v1/billing/accounts/7/card")
        );
        assert_eq!(body.unwrap()["discount_bp"], 250);
        let refused = json!({"error": {"message": "the card was not imported: 1 problem(s)",
            "problems": [{"line": 3, "message": "unknown market \"Atlantis\""}]}});
        assert!(summary(&CardsCommand::List, &refused).contains("line 3: unknown market"));
        assert!(wants_text(&CardsCommand::Export { id: 1 }));
    }
}
