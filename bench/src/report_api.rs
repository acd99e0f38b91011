//! Section 3 of `bench/RESULTS.md`: Cloud API sends and webhooks, from the `api-*.json`
//! results of `wasla-bench api`: saturation of the hyper hello-world, the axum echo, the webhook
//! floor and Wasla, Wasla's latency at half its saturation, webhook latency and backlog at a
//! steady 1,000 sends/s, and losses and drain time after a receiver outage, each against its
//! target.

use crate::api::ApiResult;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

/// Wasla's send saturation must reach this fraction of the hyper hello-world's.
const SEND_TARGET: f64 = 0.25;
/// p99 of sends at half Wasla's saturation must stay under this.
const SEND_P99_MS: f64 = 5.0;
/// p99 event-to-POST of status webhooks at 1,000 sends/s must stay under this.
const HOOK_P99_MS: f64 = 50.0;

fn verdict(pass: bool) -> &'static str {
    if pass {
        "**pass**"
    } else {
        "**FAIL**"
    }
}

fn load(dir: &Path, name: &str) -> Option<ApiResult> {
    let text = std::fs::read_to_string(dir.join(format!("api-{name}.json"))).ok()?;
    serde_json::from_str(&text).ok()
}

fn cpu(r: &ApiResult) -> String {
    format!(
        "server {:.0} %, generator {:.0} %",
        r.cpu.server.unwrap_or(f64::NAN) * 100.0,
        r.cpu.generator * 100.0
    )
}

/// Write section 3 (`info` is the run's date, commit and machine).
pub fn api_section(dir: &Path, info: &str, out: &mut String) -> Result<()> {
    writeln!(out, "## 3. Cloud API sends and webhooks\n")?;
    let (Some(hello), Some(echo), Some(wasla)) = (
        load(dir, "hello-saturate"),
        load(dir, "echo-saturate"),
        load(dir, "wasla-saturate"),
    ) else {
        writeln!(out, "Not run.\n")?;
        return Ok(());
    };
    out.push_str(info);
    let people = wasla.webhooks.as_ref().map_or(0, |w| w.people);
    writeln!(
        out,
        "`POST /v23.0/{{phone_number_id}}/messages` with a text to one of {people} connected \
         people (round-robin), over {} HTTP/1.1 keep-alive connections from one pinned \
         generator thread ({:.0} s warm-up, {:.0} s measured). Wasla answers 200 only after the \
         send is committed (`synchronous=FULL`), with throughput limits off \
         (`WASLA_LIMITS__MESSAGES_PER_SECOND=0`, `WASLA_LIMITS__PAIR_BURST=0`); the people's \
         WebSocket clients ack `delivered` and `read` for every message, and the generator's \
         receiver checks the signature of every status webhook. Baselines: `wasla-bench hello` \
         (hyper 1, no axum; it reads the body and answers a fixed text) and \
         `wasla-bench echo-api` (axum, parses the send and answers the send response shape, \
         no token, no storage); and the webhook floor, `wasla-bench echo-hooks`: the echo plus, \
         for every send, the three status webhooks (`sent`, `delivered`, `read`) in the Cloud \
         API's shape, each signed and POSTed on its own through a pooled `reqwest` client to \
         the same receiver, with no storage and no WebSocket: the least any server keeping \
         the contract's one event per POST does per send. Latency at a fixed rate: each request's round trip, plus, \
         when its connection was still busy with the previous request at its intended send \
         time, that wait (the generator's own timer lateness is not counted; the hello-world \
         at the same rate shows what remains of it). Event-to-POST: from the 200 of the send \
         (`sent`) or the person's ack (`delivered`, `read`) to the webhook's arrival. Backlog: statuses \
         expected and not yet arrived.\n",
        wasla.connections, wasla.warmup_s, wasla.duration_s
    )?;
    writeln!(
        out,
        "| measure | value | target | result |\n|---|---|---|---|"
    )?;
    writeln!(
        out,
        "| hyper hello-world, req/s (baseline) | {:.0} ({}) | | |",
        hello.ok_per_s,
        cpu(&hello)
    )?;
    writeln!(
        out,
        "| axum echo, req/s (baseline) | {:.0} ({}) | | |",
        echo.ok_per_s,
        cpu(&echo)
    )?;
    writeln!(
        out,
        "| Wasla, sends/s at saturation | {:.0} ({}) | | |",
        wasla.ok_per_s,
        cpu(&wasla)
    )?;
    let floor = load(dir, "floor-saturate");
    if let Some(f) = &floor {
        let hooks = f.webhooks.as_ref();
        writeln!(
            out,
            "| webhook floor: the echo plus three signed status POSTs per send, sends/s | {:.0} ({}; {} of {} statuses arrived, backlog {}) | | |",
            f.ok_per_s,
            cpu(f),
            hooks.map_or(0, |w| w.arrived),
            hooks.map_or(0, |w| w.expected),
            if hooks.is_some_and(|w| w.backlog_flat) { "flat" } else { "growing" }
        )?;
        writeln!(
            out,
            "| floor / hello-world: the most a server keeping one event per POST reached here | {:.3} | | |",
            f.ok_per_s / hello.ok_per_s.max(1e-9)
        )?;
    }
    let vs_hello = wasla.ok_per_s / hello.ok_per_s.max(1e-9);
    writeln!(
        out,
        "| Wasla / hello-world | {vs_hello:.3} | ≥ {SEND_TARGET} | {} |",
        verdict(vs_hello >= SEND_TARGET && wasla.errors == 0)
    )?;
    writeln!(
        out,
        "| Wasla / axum echo | {:.3} | | |",
        wasla.ok_per_s / echo.ok_per_s.max(1e-9)
    )?;
    if let Some(f) = &floor {
        writeln!(
            out,
            "| Wasla / webhook floor | {:.3} | | |",
            wasla.ok_per_s / f.ok_per_s.max(1e-9)
        )?;
    }
    // On a shared machine a baseline can be held back by waiting for its core rather than by
    // work; requests per CPU-second of the server show the cost per request regardless.
    let per_cpu = |r: &ApiResult| r.ok_per_s / r.cpu.server.unwrap_or(f64::NAN).max(1e-9);
    writeln!(
        out,
        "| requests per server CPU-second: hello, echo, floor, Wasla (floor / hello; Wasla / hello) | {:.0}, {:.0}, {}, {:.0} ({}; {:.3}) | | |",
        per_cpu(&hello),
        per_cpu(&echo),
        floor.as_ref().map_or("-".into(), |f| format!("{:.0}", per_cpu(f))),
        per_cpu(&wasla),
        floor.as_ref().map_or("-".into(), |f| format!("{:.3}", per_cpu(f) / per_cpu(&hello))),
        per_cpu(&wasla) / per_cpu(&hello)
    )?;
    writeln!(
        out,
        "| latency at saturation p50 / p99, ms (hello, echo, Wasla) | {:.2} / {:.2}, {:.2} / {:.2}, {:.1} / {:.1} | | |",
        hello.latency.p50_ms, hello.latency.p99_ms, echo.latency.p50_ms, echo.latency.p99_ms,
        wasla.latency.p50_ms, wasla.latency.p99_ms
    )?;
    if let Some(half) = load(dir, "wasla-rate") {
        let rate = half.target_rate.unwrap_or(0.0);
        writeln!(
            out,
            "| Wasla p99 at half its saturation ({rate:.0} sends/s; achieved {:.0}), ms | {:.2} (p50 {:.2}, p99.9 {:.1}, max {:.1}; {}) | < {SEND_P99_MS:.0} ms | {} |",
            half.ok_per_s, half.latency.p99_ms, half.latency.p50_ms, half.latency.p999_ms,
            half.latency.max_ms, cpu(&half),
            verdict(half.latency.p99_ms < SEND_P99_MS && half.latency.count > 0 && half.errors == 0)
        )?;
    }
    if let Some(floor) = load(dir, "hello-rate") {
        writeln!(
            out,
            "| hello-world at the same rate (what the generator itself adds; achieved {:.0}/s), ms | p99 {:.2} (p50 {:.2}, p99.9 {:.1}, max {:.1}) | | |",
            floor.ok_per_s, floor.latency.p99_ms, floor.latency.p50_ms, floor.latency.p999_ms,
            floor.latency.max_ms
        )?;
    }
    if let Some(steady) = load(dir, "wasla-webhooks") {
        if let Some(w) = &steady.webhooks {
            let rate = steady.target_rate.unwrap_or(0.0);
            // Recomputed from the series, so results written by older builds are judged alike.
            let flat = crate::api::backlog_flat(
                &w.backlog_per_s,
                steady.warmup_s as usize,
                (steady.warmup_s + steady.duration_s) as usize,
                w.expected as f64 / (steady.warmup_s + steady.duration_s),
            );
            writeln!(
                out,
                "| webhook p99 event-to-POST at {rate:.0} sends/s (achieved {:.0}), ms | {:.1} (p50 {:.1}, max {:.1}; {} statuses) | < {HOOK_P99_MS:.0} ms | {} |",
                steady.ok_per_s, w.latency.p99_ms, w.latency.p50_ms, w.latency.max_ms,
                w.latency.count, verdict(w.latency.p99_ms < HOOK_P99_MS && w.latency.count > 0)
            )?;
            writeln!(
                out,
                "| backlog flat at {rate:.0} sends/s (peak per second: {}) | {} | yes | {} |",
                summary(&w.backlog_per_s),
                if flat { "yes" } else { "no" },
                verdict(flat)
            )?;
        }
    }
    if let Some(o) = load(dir, "wasla-outage") {
        if let (Some(w), Some(outage)) = (
            &o.webhooks,
            o.webhooks.as_ref().and_then(|w| w.outage.as_ref()),
        ) {
            let lost: u64 = w.lost.iter().sum();
            writeln!(
                out,
                "| receiver 500 for {:.0} s at {:.0} sends/s: statuses lost (sent / delivered / read) | {lost} of {} ({} / {} / {}; {} duplicates, {} POSTs refused, {} delivered superseded by read) | 0 | {} |",
                outage.for_s, o.target_rate.unwrap_or(0.0), w.expected, w.lost[0], w.lost[1], w.lost[2],
                w.duplicates, w.refused, w.superseded, verdict(lost == 0 && w.expected > 0)
            )?;
            // Back at its level before the outage while the sends went on, or else emptied
            // once they stopped (it falls by the server's spare capacity meanwhile).
            let drained = match (outage.drain_s, w.drained_after_stop_s) {
                (Some(s), _) => format!("back in {s:.1} s while the sends went on"),
                (None, Some(after)) if !w.backlog_per_s.is_empty() => {
                    let b = &w.backlog_per_s;
                    let top = b
                        .iter()
                        .enumerate()
                        .max_by_key(|(_, v)| **v)
                        .map_or(0, |(i, _)| i);
                    let end = b.len().saturating_sub(2).max(top);
                    let fall = (b[top] as f64 - b[end] as f64) / (end - top).max(1) as f64;
                    format!(
                        "not back within the run: it fell by {fall:.0} statuses/s while the sends went on ({} at the last full second) and was empty {after:.1} s after they stopped",
                        b[end]
                    )
                }
                _ => "never".into(),
            };
            writeln!(
                out,
                "| backlog after the outage: peak; how it drained | {}; {drained} | drains | {} |",
                outage.peak_backlog,
                verdict(outage.drain_s.is_some() || w.drained_after_stop_s.is_some())
            )?;
        }
    }
    let all: Vec<(&str, Option<ApiResult>)> = [
        "hello-saturate",
        "echo-saturate",
        "floor-saturate",
        "wasla-saturate",
        "wasla-rate",
        "hello-rate",
        "wasla-webhooks",
        "wasla-outage",
    ]
    .iter()
    .map(|n| (*n, load(dir, n)))
    .collect();
    let errors: Vec<String> = all
        .iter()
        .filter_map(|(n, r)| r.as_ref().map(|r| (n, r)))
        .map(|(n, r)| {
            let mut s = format!("{n}: {} of {} sends failed", r.errors, r.sent);
            if let Some(w) = &r.webhooks {
                let _ = write!(
                    s,
                    ", {} of {} statuses missing at the end ({} more `delivered` superseded by `read`), {} bad signatures, {} `failed` statuses, {} people errors",
                    w.lost.iter().sum::<u64>(), w.expected, w.superseded, w.rejected, w.failed_statuses, w.people_errors
                );
            }
            s
        })
        .collect();
    writeln!(out, "\nErrors and losses: {}.\n", errors.join("; "))?;
    Ok(())
}

/// A short view of a per-second series: first, middle and last thirds' peaks.
fn summary(series: &[u64]) -> String {
    if series.is_empty() {
        return "–".into();
    }
    let third = series.len().div_ceil(3);
    series
        .chunks(third)
        .map(|c| c.iter().max().copied().unwrap_or(0).to_string())
        .collect::<Vec<_>>()
        .join(" → ")
}
