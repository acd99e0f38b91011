//! `pricing-analytics`: how `pricing_analytics` answers as the ledger grows. Three phases,
//! run by `bench/analytics.sh` around a Wasla it starts and stops:
//!
//! - `setup` (server running): a business with two phone numbers and a token, through the
//!   admin API; written to a fixtures file.
//! - `seed` (server stopped): `--rows` rated messages written straight into the SQLite
//!   database over the last `--days` UTC days (random number, country, category, pricing type
//!   and tier; the rate card's kind of prices), as ledger rows and as the half-hourly
//!   `pricing_rollup` they add up to (its triggers keep the daily rollup, as in the server).
//! - `measure` (server running again): each query shape `--requests` times, one at a time,
//!   after a warm-up; latency percentiles per shape as JSON.
//!
//! Rating writes the ledger and the rollups in one transaction, so seeding both directly gives
//! the tables a long-running server would have, in minutes instead of weeks.

use crate::setup::{check_loopback, post};
use crate::stats::Latency;
use anyhow::{bail, Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What `setup` writes and the other phases read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fixtures {
    /// The WABA.
    pub waba_id: String,
    /// Its phone-number ids.
    pub phone_number_ids: Vec<String>,
    /// A business token of the WABA.
    pub token: String,
}

/// Options of `pricing-analytics`.
#[derive(Debug, clap::Args)]
pub struct AnalyticsArgs {
    /// `setup`, `seed` or `measure`.
    #[arg(long)]
    pub phase: String,
    /// Wasla's base URL (setup, measure).
    #[arg(long, default_value = "")]
    pub server: String,
    /// A file holding the operator token (setup).
    #[arg(long)]
    pub operator_token_file: Option<PathBuf>,
    /// The fixtures file (written by setup, read by seed and measure).
    #[arg(long)]
    pub fixtures: PathBuf,
    /// The SQLite database file (seed).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Rated messages to write (seed).
    #[arg(long, default_value_t = 100_000)]
    pub rows: u64,
    /// Days the messages spread over, ending at today's UTC midnight (seed, measure).
    #[arg(long, default_value_t = 90)]
    pub days: i64,
    /// Requests per query shape (measure).
    #[arg(long, default_value_t = 300)]
    pub requests: usize,
    /// Where to write the measurement (measure).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Today's UTC midnight, Unix seconds.
fn today() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    now - now % 86_400
}

/// Run one phase.
pub async fn run(args: AnalyticsArgs) -> Result<()> {
    match args.phase.as_str() {
        "setup" => setup(&args).await,
        "seed" => seed(&args),
        "measure" => measure(&args).await,
        other => bail!("--phase must be setup, seed or measure, not {other:?}"),
    }
}

async fn setup(args: &AnalyticsArgs) -> Result<()> {
    check_loopback(&args.server)?;
    let file = args
        .operator_token_file
        .as_ref()
        .context("--operator-token-file")?;
    let operator = std::fs::read_to_string(file)?.trim().to_string();
    let http = reqwest::Client::new();
    let base = args.server.trim_end_matches('/');
    let admin = |path: &str| format!("{base}/admin/v1/{path}");
    let waba = post(
        &http,
        admin("businesses"),
        &operator,
        json!({"name": "Analytics Co"}),
    )
    .await?;
    let waba_id = waba["id"].as_str().context("waba id")?.to_string();
    let mut phone_number_ids = Vec::new();
    for number in ["+1 415 555 0170", "+1 415 555 0171"] {
        let n = post(
            &http,
            admin("phone-numbers"),
            &operator,
            json!({"waba_id": waba_id, "number": number, "verified_name": "Analytics Co"}),
        )
        .await?;
        phone_number_ids.push(n["id"].as_str().context("phone-number id")?.to_string());
    }
    let token = post(
        &http,
        admin("tokens"),
        &operator,
        json!({"waba_id": waba_id}),
    )
    .await?;
    let fixtures = Fixtures {
        waba_id,
        phone_number_ids,
        token: token["access_token"].as_str().context("token")?.to_string(),
    };
    std::fs::write(&args.fixtures, serde_json::to_vec_pretty(&fixtures)?)?;
    Ok(())
}

/// Countries with their market and marketing / utility / authentication rates in micros
/// (the shape of a real card; the figures only need to be plausible).
const COUNTRIES: [(&str, &str, [i64; 3]); 6] = [
    ("DE", "Germany", [136_500, 55_000, 55_000]),
    ("FR", "France", [85_900, 30_000, 30_000]),
    ("GB", "United Kingdom", [52_900, 22_000, 22_000]),
    ("IN", "India", [10_700, 1_400, 1_400]),
    ("BR", "Brazil", [62_500, 6_800, 6_800]),
    ("AE", "Other", [60_400, 11_300, 11_300]),
];

fn seed(args: &AnalyticsArgs) -> Result<()> {
    let fixtures: Fixtures = serde_json::from_slice(&std::fs::read(&args.fixtures)?)?;
    let waba: i64 = fixtures.waba_id.parse()?;
    let phones: Vec<i64> = fixtures
        .phone_number_ids
        .iter()
        .map(|p| p.parse())
        .collect::<Result<_, _>>()?;
    let path = args.db.as_ref().context("--db")?;
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")?;
    let end = today();
    let start = end - args.days * 86_400;
    let mut rng = StdRng::seed_from_u64(20_260_701);
    let started = Instant::now();
    // (bucket, phone, country, category, pricing type, tier) → (volume, cost)
    type Key = (
        i64,
        i64,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    let mut rollup: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
    let tx = db.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO billing_ledger (id, waba_id, kind, message_id, recipient_id, phone_number_id, \
             country, market, category, pricing_type, tier, amount_micros, currency, at) \
             VALUES (?1, ?2, 'message', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'USD', ?12)",
        )?;
        for i in 0..args.rows as i64 {
            let (country, market, rates) = COUNTRIES[rng.gen_range(0..COUNTRIES.len())];
            let phone = phones[rng.gen_range(0..phones.len())];
            let at_ms = rng.gen_range(start * 1000..end * 1000);
            let (category, pricing_type, tier, cost) = match rng.gen_range(0..10) {
                0..=3 => ("marketing", "regular", "0", rates[0]),
                4..=5 => (
                    "utility",
                    "regular",
                    if rng.gen_bool(0.3) { "100000" } else { "0" },
                    rates[1],
                ),
                6 => ("authentication", "regular", "0", rates[2]),
                7 => ("utility", "free_customer_service", "0", 0),
                _ => ("service", "free_customer_service", "0", 0),
            };
            insert.execute(rusqlite::params![
                1_000_000_000 + i,
                waba,
                1_000_000_000 + i,
                1,
                phone,
                country,
                market,
                category,
                pricing_type,
                tier,
                -cost,
                at_ms
            ])?;
            let s = at_ms / 1000;
            let e = rollup
                .entry((s - s % 1800, phone, country, category, pricing_type, tier))
                .or_default();
            e.0 += 1;
            e.1 += cost;
        }
        let mut insert = tx.prepare(
            "INSERT INTO pricing_rollup (waba_id, bucket, phone_number_id, country, category, \
             pricing_type, tier, volume, cost_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for ((bucket, phone, country, category, pricing_type, tier), (v, c)) in &rollup {
            insert.execute(rusqlite::params![
                waba,
                bucket,
                phone,
                country,
                category,
                pricing_type,
                tier,
                v,
                c
            ])?;
        }
    }
    tx.commit()?;
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let daily: i64 = db.query_row("SELECT COUNT(*) FROM pricing_rollup_daily", [], |r| {
        r.get(0)
    })?;
    eprintln!(
        "seeded {} ledger rows, {} half-hour and {daily} daily rollup rows in {:.1} s",
        args.rows,
        rollup.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One query shape's result.
#[derive(Debug, Serialize)]
struct Shape {
    name: String,
    fields: String,
    points: usize,
    latency: Latency,
}

async fn measure(args: &AnalyticsArgs) -> Result<()> {
    check_loopback(&args.server)?;
    let fixtures: Fixtures = serde_json::from_slice(&std::fs::read(&args.fixtures)?)?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let end = today();
    let start = end - args.days * 86_400;
    let week = end - 7 * 86_400;
    let all = "dimensions([PHONE,COUNTRY,PRICING_CATEGORY,PRICING_TYPE,TIER])";
    let shapes = [
        ("daily, 90 days, every dimension", format!("pricing_analytics.start({start}).end({end}).granularity(DAILY).{all}")),
        ("daily, 90 days, no dimension", format!("pricing_analytics.start({start}).end({end}).granularity(DAILY)")),
        ("monthly, 90 days, category and country", format!("pricing_analytics.start({start}).end({end}).granularity(MONTHLY).dimensions([PRICING_CATEGORY,COUNTRY])")),
        ("daily, 90 days, marketing in DE, by phone", format!("pricing_analytics.start({start}).end({end}).granularity(DAILY).country_codes([\"DE\"]).pricing_categories([MARKETING]).dimensions([PHONE])")),
        ("half-hourly, 7 days, no dimension", format!("pricing_analytics.start({week}).end({end}).granularity(HALF_HOUR)")),
    ];
    let base = args.server.trim_end_matches('/');
    let mut out = Vec::new();
    for (name, fields) in shapes {
        let enc: String = url_encode(&fields);
        let url = format!("{base}/v23.0/{}?fields={enc}", fixtures.waba_id);
        let mut points = 0;
        let mut samples = Vec::with_capacity(args.requests);
        for i in 0..args.requests + 20 {
            let t = Instant::now();
            let res = http.get(&url).bearer_auth(&fixtures.token).send().await?;
            let status = res.status();
            let body: serde_json::Value = res.json().await?;
            let took = t.elapsed().as_micros() as u64;
            if !status.is_success() {
                bail!("{name}: HTTP {status}: {body}");
            }
            points = body["pricing_analytics"]["data"][0]["data_points"]
                .as_array()
                .map_or(0, Vec::len);
            if i >= 20 {
                samples.push(took);
            }
        }
        let latency = Latency::from_micros(&mut samples);
        eprintln!(
            "{name}: {points} points, p50 {:.2} ms, p99 {:.2} ms",
            latency.p50_ms, latency.p99_ms
        );
        out.push(Shape {
            name: name.to_string(),
            fields,
            points,
            latency,
        });
    }
    if let Some(path) = &args.out {
        std::fs::write(path, serde_json::to_vec_pretty(&out)?)?;
    }
    Ok(())
}

/// Percent-encode a query value.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
