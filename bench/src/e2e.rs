//! The end-to-end messaging load generator: WebSocket clients in pairs exchanging 1:1 text
//! messages through Wasla or the relay baseline. `saturate` keeps a small window of unacked
//! sends per client; `rate` paces sends evenly at a fixed total rate. A message counts as
//! delivered when the peer's `event` arrives; its latency runs from the intended send time
//! (embedded in the body) to that arrival. On Wasla every delivered message is answered with a
//! `delivered` receipt, as the web client does.

use crate::client::{self, Target, Ws};
use crate::driver::{drive, Counts, Plan, Spec, TIMELINE};
use crate::schedule::Mode;
use crate::setup::Fixtures;
use crate::stats::{CpuMeter, CpuShare, Latency};
use anyhow::{bail, Context, Result};
use futures::{stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which server is under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Wasla's gateway, with receipts.
    Wasla,
    /// The bare relay baseline.
    Relay,
}

/// Options of `e2e`.
#[derive(Debug, clap::Args)]
pub struct E2eArgs {
    /// Server under load.
    #[arg(long, value_enum)]
    pub target: Kind,
    /// WebSocket URL, e.g. ws://127.0.0.1:8080/client/v1/ws.
    #[arg(long)]
    pub url: String,
    /// Fixtures from `setup --pair` (Wasla only).
    #[arg(long)]
    pub accounts: Option<PathBuf>,
    /// Pairs of clients (two connections each).
    #[arg(long, default_value_t = 1000)]
    pub pairs: usize,
    /// Scheduling mode.
    #[arg(long, value_enum, default_value = "saturate")]
    pub mode: Mode,
    /// Total sends per second (`rate` mode).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// Measured seconds (after the warm-up).
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 5.0)]
    pub warmup: f64,
    /// Seconds to wait for stragglers after sending stops.
    #[arg(long, default_value_t = 3.0)]
    pub drain: f64,
    /// Unacked sends per client (`saturate` mode).
    #[arg(long, default_value_t = 2)]
    pub window: usize,
    /// Server process to report CPU use for.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Comma-separated loopback source addresses, used round-robin.
    #[arg(long, default_value = "127.0.0.1")]
    pub sources: String,
    /// Connections opened at once.
    #[arg(long, default_value_t = 128)]
    pub connect_concurrency: usize,
    /// Write the result as JSON here too.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What one `e2e` run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct E2eResult {
    /// Server under load.
    pub target: Kind,
    /// Scheduling mode.
    pub mode: Mode,
    /// Connections.
    pub clients: usize,
    /// Unacked sends per client (`saturate`).
    pub window: usize,
    /// Requested total rate (`rate`), per second.
    pub target_rate: Option<f64>,
    /// Measured seconds.
    pub duration_s: f64,
    /// Warm-up seconds.
    pub warmup_s: f64,
    /// Sends in the whole run.
    pub sent: u64,
    /// Sends whose intended time fell in the measured window.
    pub sent_in_window: u64,
    /// Acks received (successful or not).
    pub acked: u64,
    /// Acks carrying an error.
    pub ack_errors: u64,
    /// Error frames and broken connections.
    pub errors: u64,
    /// Messages that reached the peer in the whole run.
    pub delivered: u64,
    /// Messages that reached the peer inside the measured window.
    pub delivered_in_window: u64,
    /// Sent but never delivered by the end of the drain.
    pub undelivered: u64,
    /// Deliveries per second in the measured window.
    pub delivered_per_s: f64,
    /// Send-to-peer latency of messages sent in the measured window.
    pub latency: Latency,
    /// CPU use during the measured window.
    pub cpu: CpuShare,
    /// Status (receipt) events received by senders.
    pub statuses: u64,
    /// Copies of their own messages received by senders.
    pub own_echoes: u64,
    /// Deliveries in each second from the start of sending (warm-up and drain included).
    pub timeline: Vec<u64>,
}

fn specs(args: &E2eArgs, sources: &[IpAddr]) -> Result<Vec<Spec>> {
    let mut out = Vec::with_capacity(args.pairs * 2);
    let fixtures = match args.target {
        Kind::Wasla => {
            let path = args
                .accounts
                .as_ref()
                .context("--accounts is needed for wasla")?;
            let f = Fixtures::load(path)?;
            if f.chats.len() < args.pairs {
                bail!(
                    "{} has {} chats, need {}",
                    path.display(),
                    f.chats.len(),
                    args.pairs
                );
            }
            Some(f)
        }
        Kind::Relay => None,
    };
    for p in 0..args.pairs {
        for side in 0..2 {
            let idx = 2 * p + side;
            let source = sources[idx % sources.len()];
            out.push(match &fixtures {
                Some(f) => {
                    let chat = &f.chats[p];
                    let person = &f.people[if side == 0 { chat.a } else { chat.b }];
                    Spec {
                        idx,
                        wa_id: person.wa_id.clone(),
                        chat_id: chat.chat_id.clone(),
                        // An `after` beyond the stream's end starts at its end: no replay.
                        hello: client::hello_frame(&person.token, (1 << 53) - 1),
                        source,
                        receipts: true,
                    }
                }
                None => {
                    let wa_id = format!("1999555{idx:04}");
                    let chat_id = format!("{}", 7_000_000 + p);
                    let hello = serde_json::json!(
                        {"op": "hello", "token": wa_id, "chat_id": chat_id, "after": 0}
                    );
                    Spec {
                        idx,
                        wa_id,
                        chat_id,
                        hello: hello.to_string(),
                        source,
                        receipts: false,
                    }
                }
            });
        }
    }
    Ok(out)
}

/// Run `e2e`.
pub async fn run(args: E2eArgs) -> Result<E2eResult> {
    if args.mode == Mode::Rate && args.rate <= 0.0 {
        bail!("--mode rate needs --rate > 0");
    }
    let target = Target::parse(&args.url)?;
    let sources = client::parse_sources(&args.sources)?;
    let specs = specs(&args, &sources)?;
    let clients = specs.len();
    if let Some(pid) = args.server_pid {
        quiesce(pid).await;
    }
    let began = Instant::now();
    let opened: Vec<Result<(Spec, Ws)>> = stream::iter(specs)
        .map(|spec| {
            let target = &target;
            async move {
                let (ws, _) = client::open(target, spec.source, spec.hello.clone())
                    .await
                    .with_context(|| format!("client {}", spec.idx))?;
                Ok((spec, ws))
            }
        })
        .buffer_unordered(args.connect_concurrency.max(1))
        .collect()
        .await;
    let opened: Vec<(Spec, Ws)> = opened.into_iter().collect::<Result<_>>()?;
    eprintln!(
        "e2e: {clients} clients connected in {:.1} s",
        began.elapsed().as_secs_f64()
    );

    let start = Instant::now() + Duration::from_millis(500);
    let measure_from = start + Duration::from_secs_f64(args.warmup);
    let stop = measure_from + Duration::from_secs_f64(args.duration);
    let plan = Arc::new(Plan {
        epoch: began,
        start,
        measure_from,
        stop,
        deadline: stop + Duration::from_secs_f64(args.drain),
        mode: args.mode,
        period: match args.mode {
            Mode::Rate => Duration::from_secs_f64(clients as f64 / args.rate),
            Mode::Saturate => Duration::ZERO,
        },
        clients,
        window: args.window.max(1),
        run: format!(
            "{:x}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
                ^ u128::from(std::process::id())
        ),
    });
    let server_pid = args.server_pid;
    let meter = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from.into()).await;
        let meter = CpuMeter::start(server_pid);
        tokio::time::sleep_until(stop.into()).await;
        meter.finish()
    });
    let tasks: Vec<_> = opened
        .into_iter()
        .map(|(spec, ws)| tokio::spawn(drive(ws, spec, plan.clone())))
        .collect();
    let mut total = Counts::default();
    for t in tasks {
        let c = t.await?;
        total.sent += c.sent;
        total.sent_in_window += c.sent_in_window;
        total.acked += c.acked;
        total.ack_errors += c.ack_errors;
        total.errors += c.errors;
        total.delivered += c.delivered;
        total.delivered_in_window += c.delivered_in_window;
        total.statuses += c.statuses;
        total.own_echoes += c.own_echoes;
        total.latencies.extend(c.latencies);
    }
    let cpu = meter.await?;
    let result = E2eResult {
        target: args.target,
        mode: args.mode,
        clients,
        window: plan.window,
        target_rate: (args.mode == Mode::Rate).then_some(args.rate),
        duration_s: args.duration,
        warmup_s: args.warmup,
        sent: total.sent,
        sent_in_window: total.sent_in_window,
        acked: total.acked,
        ack_errors: total.ack_errors,
        errors: total.errors,
        delivered: total.delivered,
        delivered_in_window: total.delivered_in_window,
        undelivered: total.sent.saturating_sub(total.delivered),
        delivered_per_s: total.delivered_in_window as f64 / args.duration,
        latency: Latency::from_micros(&mut total.latencies),
        cpu,
        statuses: total.statuses,
        own_echoes: total.own_echoes,
        timeline: TIMELINE
            .iter()
            .take(plan.deadline.duration_since(plan.start).as_secs() as usize + 1)
            .map(|a| a.load(Ordering::Relaxed))
            .collect(),
    };
    let json = serde_json::to_string_pretty(&result)?;
    if let Some(out) = &args.out {
        std::fs::write(out, &json).with_context(|| format!("write {}", out.display()))?;
    }
    println!("{json}");
    Ok(result)
}

/// Wait (at most a minute) until the server is idle, so work left over from an earlier run
/// (e.g. receipts still queued) does not count against this one.
pub(crate) async fn quiesce(pid: u32) {
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(60) {
        let meter = CpuMeter::start(Some(pid));
        tokio::time::sleep(Duration::from_millis(500)).await;
        if meter.finish().server.unwrap_or(0.0) < 0.05 {
            break;
        }
    }
    if began.elapsed() > Duration::from_secs(1) {
        eprintln!(
            "e2e: waited {:.1} s for the server to go idle",
            began.elapsed().as_secs_f64()
        );
    }
}
