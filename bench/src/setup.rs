//! Benchmark fixtures in a running Wasla: registers people through the admin API, optionally
//! pairs them in direct chats through the client API, and writes their session tokens and chat
//! ids to a JSON file the load generators read.

use anyhow::{bail, Context, Result};
use futures::{stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// North American area codes used for test numbers `+1 <area> 555 <line>`.
const AREAS: [u16; 12] = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214];

/// One registered person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    /// Digits of the number.
    pub wa_id: String,
    /// Session token for `Authorization: Bearer` and `hello`.
    pub token: String,
}

/// A direct chat between people `a` and `b` (indexes into [`Fixtures::people`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairChat {
    /// The chat id.
    pub chat_id: String,
    /// First member.
    pub a: usize,
    /// Second member.
    pub b: usize,
}

/// What `setup` writes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fixtures {
    /// People, in registration order.
    pub people: Vec<Person>,
    /// Chats pairing person 2k with 2k+1.
    pub chats: Vec<PairChat>,
}

impl Fixtures {
    /// Read a fixtures file.
    pub fn load(path: &Path) -> Result<Fixtures> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// Options of `setup`.
#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// Wasla's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub server: String,
    /// The operator token.
    #[arg(long, conflicts_with = "operator_token_file")]
    pub operator_token: Option<String>,
    /// A file holding the operator token (`<data-dir>/operator-token`).
    #[arg(long)]
    pub operator_token_file: Option<PathBuf>,
    /// People to register.
    #[arg(long)]
    pub persons: usize,
    /// Also create a direct chat between each pair (2k, 2k+1).
    #[arg(long)]
    pub pair: bool,
    /// Index of the first phone number (so several setups on one server do not collide).
    #[arg(long, default_value_t = 0)]
    pub first: usize,
    /// Requests in flight.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Where to write the fixtures.
    #[arg(long)]
    pub out: PathBuf,
}

/// The `i`th test number, `+1 <area> 555 <line>`.
pub fn phone(i: usize) -> Result<String> {
    let Some(area) = AREAS.get(i / 10_000) else {
        bail!("at most {} test numbers", AREAS.len() * 10_000);
    };
    Ok(format!("+1 {area} 555 {:04}", i % 10_000))
}

pub(crate) fn check_loopback(server: &str) -> Result<()> {
    let host = server
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap_or_default();
    let addr: std::net::SocketAddr = host
        .parse()
        .with_context(|| format!("{server}: expected http://<loopback ip>:<port>"))?;
    if !addr.ip().is_loopback() {
        bail!("{server}: benchmarks only talk to the loopback network");
    }
    Ok(())
}

pub(crate) async fn post(
    http: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
) -> Result<Value> {
    let res = http
        .post(&url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = res.status();
    let value: Value = res.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("POST {url}: {status} {value}");
    }
    Ok(value)
}

/// Run `setup`.
pub async fn run(args: SetupArgs) -> Result<()> {
    check_loopback(&args.server)?;
    let operator = match (&args.operator_token, &args.operator_token_file) {
        (Some(t), _) => t.clone(),
        (None, Some(f)) => std::fs::read_to_string(f)
            .with_context(|| format!("read {}", f.display()))?
            .trim()
            .to_string(),
        (None, None) => bail!("pass --operator-token or --operator-token-file"),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let base = args.server.trim_end_matches('/').to_string();
    let started = Instant::now();
    let people: Vec<Person> = stream::iter(0..args.persons)
        .map(|i| {
            let (http, base, operator) = (&http, &base, &operator);
            async move {
                let n = args.first + i;
                let body = json!({"phone": phone(n)?, "name": format!("Bench {n}")});
                let v = post(http, format!("{base}/admin/v1/persons"), operator, body).await?;
                Ok::<_, anyhow::Error>(Person {
                    wa_id: v["account"]["wa_id"].as_str().unwrap_or_default().into(),
                    token: v["token"].as_str().unwrap_or_default().into(),
                })
            }
        })
        .buffered(args.concurrency)
        .try_collect()
        .await?;
    eprintln!(
        "registered {} people in {:.1} s",
        people.len(),
        started.elapsed().as_secs_f64()
    );
    let mut chats = Vec::new();
    if args.pair {
        let started = Instant::now();
        chats = stream::iter(0..people.len() / 2)
            .map(|k| {
                let (http, base, people) = (&http, &base, &people);
                async move {
                    let (a, b) = (2 * k, 2 * k + 1);
                    let body = json!({"wa_id": people[b].wa_id});
                    let v = post(
                        http,
                        format!("{base}/client/v1/chats"),
                        &people[a].token,
                        body,
                    )
                    .await?;
                    let chat_id = v["chat_id"].as_str().unwrap_or_default().to_string();
                    Ok::<_, anyhow::Error>(PairChat { chat_id, a, b })
                }
            })
            .buffered(args.concurrency)
            .try_collect()
            .await?;
        eprintln!(
            "created {} chats in {:.1} s",
            chats.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let fixtures = Fixtures { people, chats };
    std::fs::write(&args.out, serde_json::to_vec(&fixtures)?)
        .with_context(|| format!("write {}", args.out.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_distinct_and_bounded() {
        assert_eq!(phone(0).unwrap(), "+1 201 555 0000");
        assert_eq!(phone(10_001).unwrap(), "+1 202 555 0001");
        assert!(phone(AREAS.len() * 10_000).is_err());
        assert!(check_loopback("http://127.0.0.1:8080").is_ok());
        assert!(check_loopback("http://10.1.1.1:8080").is_err());
    }
}
