//! `api-setup`: prepares a running Wasla for the Cloud API benchmark through the admin API: a
//! business (WABA) with one phone number, an app whose webhook URL points at the load
//! generator's receiver address (the handshake is answered by a temporary receiver on that
//! address), a business token, and people who each message the business once so the 24-hour
//! window is open. Writes everything the `api` generator needs to a JSON file.

use crate::hooks::{self, Tracker};
use crate::setup::{check_loopback, phone, post, Person};
use anyhow::{bail, Context, Result};
use futures::{stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The business number used by the benchmark.
const BUSINESS_NUMBER: &str = "+1 415 555 0100";
/// The verify token of the benchmark's app.
pub const VERIFY_TOKEN: &str = "wasla-bench";

/// What `api-setup` writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiFixtures {
    /// The phone-number id to send from.
    pub phone_number_id: String,
    /// The business number's wa_id.
    pub business_wa_id: String,
    /// The business token.
    pub token: String,
    /// The app id (for the delivery log).
    pub app_id: String,
    /// The app secret that signs webhooks.
    pub app_secret: String,
    /// Where the webhook receiver must listen.
    pub hook_listen: SocketAddr,
    /// People with an open 24-hour window with the business.
    pub people: Vec<Person>,
}

impl ApiFixtures {
    /// Read a fixtures file.
    pub fn load(path: &Path) -> Result<ApiFixtures> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// Options of `api-setup`.
#[derive(Debug, clap::Args)]
pub struct ApiSetupArgs {
    /// Wasla's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub server: String,
    /// A file holding the operator token (`<data-dir>/operator-token`).
    #[arg(long)]
    pub operator_token_file: PathBuf,
    /// People to register.
    #[arg(long, default_value_t = 200)]
    pub persons: usize,
    /// Where the generator's webhook receiver will listen (loopback).
    #[arg(long)]
    pub hook_listen: SocketAddr,
    /// Requests in flight.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Where to write the fixtures.
    #[arg(long)]
    pub out: PathBuf,
}

/// Run `api-setup`.
pub async fn run(args: ApiSetupArgs) -> Result<()> {
    check_loopback(&args.server)?;
    let operator = std::fs::read_to_string(&args.operator_token_file)
        .with_context(|| format!("read {}", args.operator_token_file.display()))?
        .trim()
        .to_string();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let base = args.server.trim_end_matches('/').to_string();
    let tracker = Tracker::new(VERIFY_TOKEN, None);
    hooks::start(args.hook_listen, tracker.clone()).await?;

    let admin = |path: &str| format!("{base}/admin/v1/{path}");
    let waba = post(
        &http,
        admin("businesses"),
        &operator,
        json!({"name": "Bench Co"}),
    )
    .await?;
    let waba_id = waba["id"].as_str().context("waba id")?.to_string();
    let number = post(
        &http,
        admin("phone-numbers"),
        &operator,
        json!({"waba_id": waba_id, "number": BUSINESS_NUMBER, "verified_name": "Bench Co"}),
    )
    .await?;
    let app = post(
        &http,
        admin("apps"),
        &operator,
        json!({"waba_id": waba_id, "webhook_url": format!("http://{}/hook", args.hook_listen),
               "verify_token": VERIFY_TOKEN}),
    )
    .await?;
    let app_secret = app["app_secret"]
        .as_str()
        .context("app secret")?
        .to_string();
    tracker.set_secret(&app_secret);
    let token = post(
        &http,
        admin("tokens"),
        &operator,
        json!({"waba_id": waba_id}),
    )
    .await?;
    let business_wa_id = number["wa_id"].as_str().context("wa_id")?.to_string();

    let started = Instant::now();
    let people: Vec<Person> = stream::iter(0..args.persons)
        .map(|i| {
            let (http, operator, admin, business) = (&http, &operator, &admin, &business_wa_id);
            async move {
                let body = json!({"phone": phone(i)?, "name": format!("Bench {i}")});
                let v = post(http, admin("persons"), operator, body).await?;
                let person = Person {
                    wa_id: v["account"]["wa_id"].as_str().unwrap_or_default().into(),
                    token: v["token"].as_str().unwrap_or_default().into(),
                };
                // Opens the 24-hour customer service window for free-form sends.
                let hi = json!({"to": business, "text": "hello"});
                post(
                    http,
                    admin(&format!("persons/{}/messages", person.wa_id)),
                    operator,
                    hi,
                )
                .await?;
                Ok::<_, anyhow::Error>(person)
            }
        })
        .buffered(args.concurrency.max(1))
        .try_collect()
        .await?;
    eprintln!(
        "api-setup: {} people registered and messaged the business in {:.1} s",
        people.len(),
        started.elapsed().as_secs_f64()
    );
    // Their inbound-message webhooks are delivered now, not during the measurements.
    let waited = Instant::now();
    while tracker.messages.load(Ordering::Relaxed) < people.len() as u64 {
        if waited.elapsed() > Duration::from_secs(60) {
            bail!(
                "only {} of {} inbound-message webhooks arrived",
                tracker.messages.load(Ordering::Relaxed),
                people.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if tracker.rejected.load(Ordering::Relaxed) > 0 {
        bail!("some webhooks failed the signature check");
    }
    let fixtures = ApiFixtures {
        phone_number_id: number["id"].as_str().context("phone number id")?.into(),
        business_wa_id,
        token: token["access_token"].as_str().context("token")?.into(),
        app_id: app["id"].as_str().context("app id")?.into(),
        app_secret,
        hook_listen: args.hook_listen,
        people,
    };
    std::fs::write(&args.out, serde_json::to_vec_pretty(&fixtures)?)
        .with_context(|| format!("write {}", args.out.display()))?;
    Ok(())
}
