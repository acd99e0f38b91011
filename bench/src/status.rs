//! The Status benchmark, against a running Wasla with people from `setup`. Two measurements:
//!
//! - Fan-out: one person with `--contacts` people on their contact list (all connected by
//!   WebSocket) posts; the time from the POST until every contact's socket has the
//!   `status_update` frame, over `--posts` posts.
//! - Feed reads: `GET /client/v1/status` latency for one viewer whose feed holds a fixed set of
//!   updates (from `--feed-authors` people, two each), first with `--small` live updates on the
//!   server, then with `--large`; the rest are other people's updates the viewer cannot see.
//!   The ratio of the two p99s shows whether the feed's cost grows with the server's updates.
//!
//! People are used in fixture order: the poster, the contacts, the viewer, the feed authors,
//! then everyone else as background authors.

use crate::client::{hello_frame, open, parse_sources, Target};
use crate::setup::{check_loopback, post, Fixtures, Person};
use crate::stats::Latency;
use anyhow::{bail, Context, Result};
use futures::{stream, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// Options of `status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Wasla's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub server: String,
    /// The WebSocket URL, e.g. ws://127.0.0.1:8080/client/v1/ws.
    #[arg(long)]
    pub url: String,
    /// The fixtures `setup` wrote.
    #[arg(long)]
    pub accounts: PathBuf,
    /// Contacts of the poster, each connected.
    #[arg(long, default_value_t = 5000)]
    pub contacts: usize,
    /// Posts to time.
    #[arg(long, default_value_t = 5)]
    pub posts: usize,
    /// People whose updates are in the viewer's feed (two each).
    #[arg(long, default_value_t = 50)]
    pub feed_authors: usize,
    /// Live updates on the server for the first feed measurement.
    #[arg(long, default_value_t = 1000)]
    pub small: usize,
    /// Live updates on the server for the second feed measurement.
    #[arg(long, default_value_t = 100_000)]
    pub large: usize,
    /// Feed reads per measurement.
    #[arg(long, default_value_t = 1000)]
    pub reads: usize,
    /// Source addresses for the sockets.
    #[arg(long, default_value = "127.0.0.1")]
    pub sources: String,
    /// Seconds to wait after posting before reading (the database settles after a burst).
    #[arg(long, default_value_t = 5)]
    pub settle: u64,
    /// Requests in flight while preparing.
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// Where to write the results (JSON).
    #[arg(long)]
    pub out: PathBuf,
}

/// What `status` measures.
#[derive(Debug, Serialize)]
pub struct StatusResult {
    /// Contacts of the poster.
    pub contacts: usize,
    /// Per post: ms from the POST until the last contact had the frame.
    pub fanout_last_ms: Vec<f64>,
    /// Per-contact arrival over all posts.
    pub fanout_arrival: Latency,
    /// Updates in the viewer's feed.
    pub feed_updates: usize,
    /// Live updates on the server, small then large.
    pub live: [usize; 2],
    /// Feed read latency with `live[0]` updates.
    pub feed_small: Latency,
    /// Feed read latency with `live[1]` updates.
    pub feed_large: Latency,
    /// `feed_large.p99 / feed_small.p99`.
    pub p99_ratio: f64,
}

fn text(body: String) -> Value {
    json!({"type": "text", "text": {"body": body, "background": "#1E6B52"}})
}

async fn put(http: &reqwest::Client, url: String, token: &str) -> Result<()> {
    let r = http.put(&url).bearer_auth(token).send().await?;
    if !r.status().is_success() {
        bail!("PUT {url}: {}", r.status());
    }
    Ok(())
}

/// Post `n` text updates, spread over `authors`.
async fn post_many(
    http: &reqwest::Client,
    base: &str,
    authors: &[Person],
    n: usize,
    concurrency: usize,
) -> Result<()> {
    stream::iter(0..n)
        .map(|i| {
            let who = &authors[i % authors.len()];
            let url = format!("{base}/client/v1/status");
            async move { post(http, url, &who.token, text(format!("update {i}"))).await }
        })
        .buffer_unordered(concurrency)
        .try_for_each(|_| async { Ok(()) })
        .await
}

/// Time `reads` sequential feed reads of `viewer`; returns the latency and the updates seen.
async fn read_feed(
    http: &reqwest::Client,
    base: &str,
    viewer: &Person,
    reads: usize,
) -> Result<(Latency, usize)> {
    let url = format!("{base}/client/v1/status");
    let mut seen = 0;
    for _ in 0..reads.min(100) {
        http.get(&url).bearer_auth(&viewer.token).send().await?;
    }
    let mut samples = Vec::with_capacity(reads);
    for _ in 0..reads {
        let t = Instant::now();
        let r = http.get(&url).bearer_auth(&viewer.token).send().await?;
        let v: Value = r.json().await?;
        samples.push(t.elapsed().as_micros() as u64);
        seen = v["contacts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|g| g["updates"].as_array().map_or(0, Vec::len))
                    .sum()
            })
            .unwrap_or(0);
    }
    Ok((Latency::from_micros(&mut samples), seen))
}

/// Connect every contact and forward each `status_update` frame's id with its arrival time.
async fn connect_contacts(
    target: &Target,
    sources: &[std::net::IpAddr],
    contacts: &[Person],
    concurrency: usize,
) -> Result<(
    mpsc::UnboundedReceiver<(String, Instant)>,
    Vec<tokio::task::JoinHandle<()>>,
)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let sockets: Vec<_> = stream::iter(contacts.iter().enumerate())
        .map(|(i, p)| {
            let source = sources[i % sources.len()];
            async move { open(target, source, hello_frame(&p.token, 0)).await }
        })
        .buffered(concurrency)
        .try_collect()
        .await?;
    let mut tasks = Vec::with_capacity(sockets.len());
    for (mut ws, _) in sockets {
        let tx = tx.clone();
        tasks.push(tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                let Message::Text(t) = msg else { continue };
                if !t.as_str().contains("\"status_update\"") {
                    continue;
                }
                let at = Instant::now();
                if let Ok(v) = serde_json::from_str::<Value>(t.as_str()) {
                    if let Some(id) = v["update"]["id"].as_str() {
                        let _ = tx.send((id.to_string(), at));
                    }
                }
            }
        }));
    }
    Ok((rx, tasks))
}

/// Run `status`.
pub async fn run(args: StatusArgs) -> Result<StatusResult> {
    check_loopback(&args.server)?;
    let target = Target::parse(&args.url)?;
    let sources = parse_sources(&args.sources)?;
    let fx = Fixtures::load(&args.accounts)?;
    let need = args.contacts + 2 + args.feed_authors + 1;
    if fx.people.len() < need {
        bail!(
            "the fixtures hold {} people; {need} are needed",
            fx.people.len()
        );
    }
    let base = args.server.trim_end_matches('/').to_string();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let poster = &fx.people[0];
    let contacts = &fx.people[1..=args.contacts];
    let viewer = &fx.people[args.contacts + 1];
    let feed_authors = &fx.people[args.contacts + 2..args.contacts + 2 + args.feed_authors];
    let background = &fx.people[args.contacts + 2 + args.feed_authors..];

    // Fan-out.
    let started = Instant::now();
    stream::iter(contacts)
        .map(|c| {
            put(
                &http,
                format!("{base}/client/v1/contacts/{}", c.wa_id),
                &poster.token,
            )
        })
        .buffer_unordered(args.concurrency)
        .try_for_each(|_| async { Ok(()) })
        .await
        .context("listing the contacts")?;
    let (mut arrivals, tasks) =
        connect_contacts(&target, &sources, contacts, args.concurrency).await?;
    eprintln!(
        "{} contacts listed and connected in {:.1} s",
        contacts.len(),
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut fanout_last_ms = Vec::new();
    let mut arrival_us = Vec::new();
    for round in 0..args.posts {
        let t0 = Instant::now();
        let up = post(
            &http,
            format!("{base}/client/v1/status"),
            &poster.token,
            text(format!("fan-out {round}")),
        )
        .await?;
        let id = up["id"].as_str().unwrap_or_default().to_string();
        let mut got = 0;
        let mut last = t0;
        while got < contacts.len() {
            let next = tokio::time::timeout(Duration::from_secs(60), arrivals.recv()).await;
            let Ok(Some((frame_id, at))) = next else {
                bail!(
                    "post {round}: {got} of {} contacts had the frame",
                    contacts.len()
                );
            };
            if frame_id == id {
                got += 1;
                last = last.max(at);
                arrival_us.push(at.saturating_duration_since(t0).as_micros() as u64);
            }
        }
        let ms = last.duration_since(t0).as_secs_f64() * 1000.0;
        eprintln!("post {round}: every contact had it after {ms:.1} ms");
        fanout_last_ms.push(ms);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for t in tasks {
        t.abort();
    }

    // Feed reads.
    for a in feed_authors {
        put(
            &http,
            format!("{base}/client/v1/contacts/{}", viewer.wa_id),
            &a.token,
        )
        .await?;
    }
    post_many(
        &http,
        &base,
        feed_authors,
        2 * feed_authors.len(),
        args.concurrency,
    )
    .await?;
    let already = args.posts + 2 * feed_authors.len();
    post_many(
        &http,
        &base,
        background,
        args.small.saturating_sub(already),
        args.concurrency,
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let (feed_small, seen_small) = read_feed(&http, &base, viewer, args.reads).await?;
    eprintln!("feed with {} live updates: {feed_small:?}", args.small);
    let started = Instant::now();
    post_many(
        &http,
        &base,
        background,
        args.large.saturating_sub(args.small.max(already)),
        args.concurrency,
    )
    .await?;
    eprintln!(
        "posted up to {} updates in {:.1} s",
        args.large,
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let (feed_large, seen_large) = read_feed(&http, &base, viewer, args.reads).await?;
    eprintln!("feed with {} live updates: {feed_large:?}", args.large);
    if seen_small != 2 * feed_authors.len() || seen_large != seen_small {
        bail!("the viewer's feed held {seen_small} then {seen_large} updates");
    }
    let result = StatusResult {
        contacts: contacts.len(),
        fanout_last_ms,
        fanout_arrival: Latency::from_micros(&mut arrival_us),
        feed_updates: seen_large,
        live: [args.small.max(already), args.large],
        p99_ratio: feed_large.p99_ms / feed_small.p99_ms,
        feed_small,
        feed_large,
    };
    std::fs::write(&args.out, serde_json::to_vec_pretty(&result)?)
        .with_context(|| format!("write {}", args.out.display()))?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(result)
}
