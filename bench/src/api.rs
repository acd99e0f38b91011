//! `api`: the Cloud API send and webhook benchmark. Sends text messages over HTTP/1.1
//! keep-alive connections to the bare hyper hello-world, the bare axum echo or Wasla, and, for
//! Wasla, also runs the people (WebSocket clients acking `delivered` and `read`) and the
//! webhook receiver, so it can report event-to-POST latency of the status webhooks, their
//! backlog over time, and whether any was lost when the receiver failed for a while.

use crate::api_load::{self, ConnCounts, LoadPlan};
use crate::api_setup::{ApiFixtures, VERIFY_TOKEN};
use crate::client::{self, Target};
use crate::echo_hooks::FLOOR_APP_SECRET;
use crate::hooks::{self, Status, Tracker};
use crate::people::{self, PeopleCounts, Window};
use crate::schedule::Mode;
use crate::stats::{CpuMeter, CpuShare, Latency};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Which server is under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiTarget {
    /// The bare hyper hello-world.
    Hello,
    /// The bare axum handler that parses and answers without storage.
    Echo,
    /// The webhook floor: the echo plus three signed status POSTs per send.
    Floor,
    /// Wasla's Cloud API.
    Wasla,
}

/// Options of `api`.
#[derive(Debug, clap::Args)]
pub struct ApiArgs {
    /// Server under load.
    #[arg(long, value_enum)]
    pub target: ApiTarget,
    /// Server address (loopback), e.g. 127.0.0.1:8080.
    #[arg(long)]
    pub server: SocketAddr,
    /// Fixtures from `api-setup` (Wasla only).
    #[arg(long)]
    pub fixtures: Option<PathBuf>,
    /// Where the webhook receiver listens (floor only; Wasla's comes from the fixtures).
    #[arg(long)]
    pub hook_listen: Option<SocketAddr>,
    /// Scheduling mode.
    #[arg(long, value_enum, default_value = "saturate")]
    pub mode: Mode,
    /// HTTP/1.1 keep-alive connections.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Total sends per second (`rate` mode).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 5.0)]
    pub warmup: f64,
    /// Measured seconds.
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    /// Longest wait, after sending stops, for every expected webhook (Wasla).
    #[arg(long, default_value_t = 60.0)]
    pub drain: f64,
    /// The receiver answers 500 from this many seconds into the measured window (Wasla).
    #[arg(long)]
    pub outage_at: Option<f64>,
    /// How long the receiver answers 500.
    #[arg(long, default_value_t = 10.0)]
    pub outage_for: f64,
    /// Server process to report CPU use for.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Write the result as JSON here too.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The receiver outage of a run and how the backlog recovered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outage {
    /// Seconds into the measured window when the receiver started failing.
    pub from_s: f64,
    /// Seconds it failed.
    pub for_s: f64,
    /// Largest backlog seen.
    pub peak_backlog: u64,
    /// Seconds from the end of the outage until the backlog was back at its level before it.
    pub drain_s: Option<f64>,
}

/// What the webhook receiver and the people saw (Wasla only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HookResult {
    /// People connected.
    pub people: usize,
    /// Business messages the people received.
    pub people_messages: u64,
    /// People's error frames and broken connections.
    pub people_errors: u64,
    /// Statuses expected (sent for every 200, delivered and read for every ack).
    pub expected: u64,
    /// Of those, arrived.
    pub arrived: u64,
    /// Expected but missing at the end: sent, delivered, read.
    pub lost: [u64; 3],
    /// Statuses that arrived more than once.
    pub duplicates: u64,
    /// `delivered` statuses never sent because the `read` committed first.
    #[serde(default)]
    pub superseded: u64,
    /// POSTs answered 500 during the outage.
    pub refused: u64,
    /// POSTs with a bad signature or body (must be 0).
    pub rejected: u64,
    /// `failed` statuses.
    pub failed_statuses: u64,
    /// Event-to-POST latency of statuses caused in the measured window.
    pub latency: Latency,
    /// Largest backlog (expected, not yet arrived) in each second from the start of sending.
    pub backlog_per_s: Vec<u64>,
    /// The backlog did not grow over the measured window (outage runs: before the outage).
    pub backlog_flat: bool,
    /// Seconds after sending stopped until nothing expected was missing (None: never).
    pub drained_after_stop_s: Option<f64>,
    /// The outage, if any.
    pub outage: Option<Outage>,
}

/// What one `api` run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiResult {
    /// Server under load.
    pub target: ApiTarget,
    /// Scheduling mode.
    pub mode: Mode,
    /// Connections.
    pub connections: usize,
    /// Requested total rate (`rate`).
    pub target_rate: Option<f64>,
    /// Warm-up seconds.
    pub warmup_s: f64,
    /// Measured seconds.
    pub duration_s: f64,
    /// Requests sent in the whole run.
    pub sent: u64,
    /// 2xx answers in the whole run.
    pub ok: u64,
    /// Errors (non-2xx, broken connections).
    pub errors: u64,
    /// 2xx answers per second in the measured window.
    pub ok_per_s: f64,
    /// Request latency (round trip plus any wait for a busy connection past the intended send
    /// time), for sends intended in the window.
    pub latency: Latency,
    /// CPU use during the measured window.
    pub cpu: CpuShare,
    /// Webhooks (Wasla only).
    pub webhooks: Option<HookResult>,
}

/// Backlog samples every 100 ms: (ms since the start of sending, backlog).
type Samples = Arc<Mutex<Vec<(u64, u64)>>>;

/// Run `api`.
pub async fn run(args: ApiArgs) -> Result<ApiResult> {
    anyhow::ensure!(args.server.ip().is_loopback(), "loopback servers only");
    if args.mode == Mode::Rate && args.rate <= 0.0 {
        bail!("--mode rate needs --rate > 0");
    }
    let connections = args.connections.max(1);
    if let Some(pid) = args.server_pid {
        crate::e2e::quiesce(pid).await;
    }
    let fixtures = match args.target {
        ApiTarget::Wasla => Some(ApiFixtures::load(
            args.fixtures
                .as_ref()
                .context("--fixtures is needed for wasla")?,
        )?),
        _ => None,
    };
    let tracker = match (&fixtures, args.target) {
        (Some(f), _) => Some(Tracker::new(VERIFY_TOKEN, Some(f.app_secret.clone()))),
        (None, ApiTarget::Floor) => {
            let listen = args
                .hook_listen
                .context("--hook-listen is needed for floor")?;
            let t = Tracker::new(VERIFY_TOKEN, Some(FLOOR_APP_SECRET.into()));
            hooks::start(listen, t.clone()).await?;
            Some(t)
        }
        _ => None,
    };
    let stop_people = Arc::new(AtomicBool::new(false));
    let people_counts = Arc::new(PeopleCounts::default());
    let began = Instant::now();
    // Room for the people to connect before the schedule starts.
    let start = began + Duration::from_secs(if fixtures.is_some() { 10 } else { 1 });
    let measure_from = start + Duration::from_secs_f64(args.warmup);
    let stop = measure_from + Duration::from_secs_f64(args.duration);
    let (path, auth, recipients) = match &fixtures {
        Some(f) => (
            format!("/v23.0/{}/messages", f.phone_number_id),
            Some(format!("Bearer {}", f.token)),
            f.people.iter().map(|p| p.wa_id.clone()).collect(),
        ),
        None => (
            "/v23.0/100200300/messages".to_string(),
            None,
            (0..200).map(|i| format!("1201555{i:04}")).collect(),
        ),
    };
    if let (Some(f), Some(t)) = (&fixtures, &tracker) {
        hooks::start(f.hook_listen, t.clone()).await?;
        let target = Target::parse(&format!("ws://{}/client/v1/ws", args.server))?;
        let window = Window {
            from: measure_from,
            to: stop,
        };
        let source = client::parse_sources("127.0.0.1")?[0];
        people::connect(
            &target,
            source,
            &f.people,
            t.clone(),
            window,
            people_counts.clone(),
            stop_people.clone(),
        )
        .await?;
        eprintln!(
            "api: {} people connected in {:.1} s",
            f.people.len(),
            began.elapsed().as_secs_f64()
        );
        anyhow::ensure!(Instant::now() < start, "people took too long to connect");
    }
    let plan = Arc::new(LoadPlan {
        addr: args.server,
        path,
        auth,
        recipients,
        start,
        measure_from,
        stop,
        mode: args.mode,
        period: match args.mode {
            Mode::Rate => Duration::from_secs_f64(connections as f64 / args.rate),
            Mode::Saturate => Duration::ZERO,
        },
        connections,
        tracker: tracker.clone(),
        // The floor has no people: every status is owed as soon as the send is answered.
        owed_on_answer: if args.target == ApiTarget::Floor {
            &[Status::Sent, Status::Delivered, Status::Read]
        } else {
            &[Status::Sent]
        },
    });
    let server_pid = args.server_pid;
    let meter = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from.into()).await;
        let meter = CpuMeter::start(server_pid);
        tokio::time::sleep_until(stop.into()).await;
        meter.finish()
    });
    let samples: Samples = Arc::default();
    if let Some(t) = &tracker {
        spawn_sampler(t.clone(), start, samples.clone());
        if let Some(at) = args.outage_at {
            let (t, from) = (t.clone(), measure_from + Duration::from_secs_f64(at));
            let to = from + Duration::from_secs_f64(args.outage_for);
            tokio::spawn(async move {
                tokio::time::sleep_until(from.into()).await;
                t.failing.store(true, Ordering::Relaxed);
                tokio::time::sleep_until(to.into()).await;
                t.failing.store(false, Ordering::Relaxed);
            });
        }
    }
    let tasks: Vec<_> = (0..connections)
        .map(|i| tokio::spawn(api_load::drive(i, plan.clone())))
        .collect();
    let mut total = ConnCounts::default();
    for t in tasks {
        let c = t.await?;
        total.sent += c.sent;
        total.ok += c.ok;
        total.ok_in_window += c.ok_in_window;
        total.errors += c.errors;
        total.latencies.extend(c.latencies);
    }
    let cpu = meter.await?;
    let webhooks = match &tracker {
        Some(t) => {
            let drained = drain(t, stop, args.drain).await;
            stop_people.store(true, Ordering::Relaxed);
            Some(summarise(
                t,
                fixtures.as_ref().map_or(0, |f| f.people.len()),
                &people_counts,
                &samples,
                &args,
                (start, measure_from),
                drained,
            ))
        }
        None => None,
    };
    let result = ApiResult {
        target: args.target,
        mode: args.mode,
        connections,
        target_rate: (args.mode == Mode::Rate).then_some(args.rate),
        warmup_s: args.warmup,
        duration_s: args.duration,
        sent: total.sent,
        ok: total.ok,
        errors: total.errors,
        ok_per_s: total.ok_in_window as f64 / args.duration,
        latency: Latency::from_micros(&mut total.latencies),
        cpu,
        webhooks,
    };
    let json = serde_json::to_string_pretty(&result)?;
    if let Some(out) = &args.out {
        std::fs::write(out, &json).with_context(|| format!("write {}", out.display()))?;
    }
    println!("{json}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(result)
}

fn spawn_sampler(t: Arc<Tracker>, start: Instant, samples: Samples) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tick.tick().await;
            let ms = Instant::now().saturating_duration_since(start).as_millis() as u64;
            let backlog = t.counts().backlog();
            samples.lock().expect("lock").push((ms, backlog));
        }
    });
}

/// Wait until every expected status arrived, at most `limit` seconds after `stop`; returns
/// the seconds after `stop` when that happened.
async fn drain(t: &Tracker, stop: Instant, limit: f64) -> Option<f64> {
    let deadline = stop + Duration::from_secs_f64(limit);
    loop {
        // People ack what is still reaching them; give them a moment before trusting a zero.
        let now = Instant::now();
        if t.counts().backlog() == 0 && now > stop + Duration::from_millis(500) {
            return Some(now.duration_since(stop).as_secs_f64());
        }
        if now >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Largest backlog in [from_ms, to_ms).
fn peak(samples: &[(u64, u64)], from_ms: u64, to_ms: u64) -> u64 {
    samples
        .iter()
        .filter(|(ms, _)| *ms >= from_ms && *ms < to_ms)
        .map(|(_, b)| *b)
        .max()
        .unwrap_or(0)
}

/// Flat: over seconds `from_s..to_s` of a per-second backlog series, the peak of the last
/// quarter exceeds the peak of the first quarter by at most one second's worth of statuses
/// (`per_s`, at least 50). A receiver that keeps up has a backlog of a few milliseconds of
/// statuses whatever the run's length; one that falls behind grows by its deficit every second.
pub fn backlog_flat(series: &[u64], from_s: usize, to_s: usize, per_s: f64) -> bool {
    let to_s = to_s.min(series.len());
    if to_s <= from_s + 3 {
        return true;
    }
    let quarter = (to_s - from_s) / 4;
    let peak = |r: std::ops::Range<usize>| series[r].iter().copied().max().unwrap_or(0);
    let (first, last) = (peak(from_s..from_s + quarter), peak(to_s - quarter..to_s));
    last <= first + (per_s as u64).max(50)
}

fn summarise(
    t: &Tracker,
    people: usize,
    pc: &PeopleCounts,
    samples: &Samples,
    args: &ApiArgs,
    (start, measure_from): (Instant, Instant),
    drained_after_stop_s: Option<f64>,
) -> HookResult {
    let samples = samples.lock().expect("lock").clone();
    let measure_ms = measure_from.duration_since(start).as_millis() as u64;
    let last_s = samples.last().map(|s| s.0 / 1000).unwrap_or(0);
    let backlog_per_s: Vec<u64> = (0..=last_s)
        .map(|s| peak(&samples, s * 1000, (s + 1) * 1000))
        .collect();
    let counts = t.counts();
    let per_s = counts.expected as f64 / (args.warmup + args.duration);
    let outage = args.outage_at.map(|at| {
        let from_ms = measure_ms + (at * 1000.0) as u64;
        let to_ms = from_ms + (args.outage_for * 1000.0) as u64;
        let before = peak(&samples, from_ms.saturating_sub(5000), from_ms);
        let drain_s = samples
            .iter()
            .find(|(ms, b)| *ms >= to_ms && *b <= before)
            .map(|(ms, _)| (ms - to_ms) as f64 / 1000.0);
        Outage {
            from_s: at,
            for_s: args.outage_for,
            peak_backlog: peak(&samples, 0, u64::MAX),
            drain_s,
        }
    });
    let flat_to = match args.outage_at {
        Some(at) => args.warmup + at,
        None => args.warmup + args.duration,
    };
    HookResult {
        people,
        people_messages: pc.messages.load(Ordering::Relaxed),
        people_errors: pc.errors.load(Ordering::Relaxed),
        expected: counts.expected,
        arrived: counts.matched,
        lost: t.lost(),
        duplicates: counts.duplicates,
        superseded: counts.superseded,
        refused: t.refused.load(Ordering::Relaxed),
        rejected: t.rejected.load(Ordering::Relaxed),
        failed_statuses: t.failed.load(Ordering::Relaxed),
        latency: Latency::from_micros(&mut t.take_latencies()),
        backlog_flat: backlog_flat(
            &backlog_per_s,
            args.warmup as usize,
            flat_to as usize,
            per_s,
        ),
        backlog_per_s,
        drained_after_stop_s,
        outage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_means_no_growth_beyond_a_second_of_statuses() {
        let steady = [5, 300, 280, 310, 290, 305, 295, 300, 310, 290, 300];
        assert!(backlog_flat(&steady, 1, 11, 3000.0));
        let growing: Vec<u64> = (0..20).map(|s| 1000 + s * 2000).collect();
        assert!(!backlog_flat(&growing, 2, 20, 2600.0));
        assert!(backlog_flat(&growing, 2, 4, 2600.0), "too short to judge");
    }
}
