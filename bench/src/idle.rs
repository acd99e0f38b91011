//! The idle-connection benchmark: opens many authenticated WebSocket clients from several
//! loopback source addresses, holds them idle (pinging every 25 s as the web client does) and
//! reports the server's resident memory per connection from `/proc/<pid>/status`.

use crate::client::{self, Target};
use crate::setup::Fixtures;
use crate::stats::vm_rss_kib;
use anyhow::{bail, Context, Result};
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::Message;

/// Idle clients ping this often (the gateway closes connections silent for 75 s).
const PING_EVERY: Duration = Duration::from_secs(25);
/// File descriptors this process needs beyond one per connection.
const SPARE_FDS: u64 = 64;

/// Which server holds the connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdleKind {
    /// Wasla's gateway (authenticated people).
    Wasla,
    /// The bare axum WebSocket server.
    Bare,
}

/// Options of `idle`.
#[derive(Debug, clap::Args)]
pub struct IdleArgs {
    /// Server under test.
    #[arg(long, value_enum)]
    pub target: IdleKind,
    /// WebSocket URL, e.g. ws://127.0.0.1:8080/client/v1/ws.
    #[arg(long)]
    pub url: String,
    /// Fixtures from `setup` with at least `count` people (Wasla only).
    #[arg(long)]
    pub accounts: Option<PathBuf>,
    /// Connections to open.
    #[arg(long)]
    pub count: usize,
    /// Comma-separated loopback source addresses, used round-robin.
    #[arg(long, default_value = "127.0.0.1")]
    pub sources: String,
    /// The server's process id (its VmRSS is read).
    #[arg(long)]
    pub server_pid: u32,
    /// Seconds to wait after the last connection before reading memory.
    #[arg(long, default_value_t = 5.0)]
    pub settle: f64,
    /// Connections opened at once.
    #[arg(long, default_value_t = 256)]
    pub connect_concurrency: usize,
    /// Give up connecting after this many seconds.
    #[arg(long, default_value_t = 180.0)]
    pub connect_timeout: f64,
    /// Only upgrade, never say `hello` (diagnostic: the cost of a bare upgraded socket in the
    /// server; keep `--settle` short, servers drop silent sockets after 10 s).
    #[arg(long)]
    pub no_hello: bool,
    /// Write the result as JSON here too.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What one `idle` run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdleResult {
    /// Server under test.
    pub target: IdleKind,
    /// Connections asked for.
    pub count: usize,
    /// Connections that completed `hello`/`ready`.
    pub connected: usize,
    /// Connections that failed.
    pub failed: usize,
    /// Connections the server closed before memory was read.
    pub dropped: usize,
    /// Source addresses used.
    pub sources: usize,
    /// Seconds to open all connections.
    pub connect_s: f64,
    /// Server VmRSS before connecting, KiB.
    pub rss_before_kib: u64,
    /// Server VmRSS with every connection open and settled, KiB.
    pub rss_after_kib: u64,
    /// (after − before) / connected, bytes.
    pub bytes_per_connection: f64,
}

/// Raise this process's open-file limit as far as allowed; fail if `need` does not fit.
pub fn raise_fd_limit(need: u64) -> Result<u64> {
    let limit = rlimit::increase_nofile_limit(u64::MAX).context("raise RLIMIT_NOFILE")?;
    if limit < need {
        bail!(
            "need {need} open files but RLIMIT_NOFILE is {limit} and cannot be raised \
             (the hard limit needs CAP_SYS_RESOURCE to increase)"
        );
    }
    Ok(limit)
}

/// Run `idle`.
pub async fn run(args: IdleArgs) -> Result<IdleResult> {
    raise_fd_limit(args.count as u64 + SPARE_FDS)?;
    let target = Target::parse(&args.url)?;
    let sources = client::parse_sources(&args.sources)?;
    let hellos: Vec<String> = match args.target {
        IdleKind::Wasla => {
            let path = args
                .accounts
                .as_ref()
                .context("--accounts is needed for wasla")?;
            let f = Fixtures::load(path)?;
            if f.people.len() < args.count {
                bail!(
                    "{} has {} people, need {}",
                    path.display(),
                    f.people.len(),
                    args.count
                );
            }
            f.people[..args.count]
                .iter()
                .map(|p| client::hello_frame(&p.token, (1 << 53) - 1))
                .collect()
        }
        IdleKind::Bare => (0..args.count)
            .map(|i| client::hello_frame(&format!("idle-{i}"), 0))
            .collect(),
    };

    let rss_before_kib = vm_rss_kib(args.server_pid)?;
    let began = Instant::now();
    let gate = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let dropped = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Result<(), String>>();
    let mut tasks = Vec::with_capacity(args.count);
    for (i, hello) in hellos.into_iter().enumerate() {
        let (target, source) = (target.clone(), sources[i % sources.len()]);
        let no_hello = args.no_hello;
        let (gate, dropped, done, mut stop) = (
            gate.clone(),
            dropped.clone(),
            done_tx.clone(),
            stop_rx.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await;
            let opened = if no_hello {
                client::connect(&target, source).await
            } else {
                client::open(&target, source, hello).await.map(|(ws, _)| ws)
            };
            drop(permit);
            let mut ws = match opened {
                Ok(ws) => {
                    let _ = done.send(Ok(()));
                    ws
                }
                Err(e) => {
                    let _ = done.send(Err(format!("{e:#}")));
                    return;
                }
            };
            let mut ping = tokio::time::interval(PING_EVERY);
            ping.tick().await;
            loop {
                tokio::select! {
                    msg = ws.next() => match msg {
                        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                            dropped.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                        Some(Ok(_)) => {}
                    },
                    _ = ping.tick() => {
                        if ws.send(Message::Text(r#"{"op":"ping"}"#.into())).await.is_err() {
                            dropped.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    }
                    _ = stop.changed() => break,
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
        }));
    }
    drop(done_tx);

    let (mut connected, mut failed) = (0usize, 0usize);
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(args.connect_timeout);
    while connected + failed < args.count {
        match tokio::time::timeout_at(deadline, done_rx.recv()).await {
            Ok(Some(Ok(()))) => connected += 1,
            Ok(Some(Err(e))) => {
                if failed < 5 {
                    eprintln!("idle: connection failed: {e}");
                }
                failed += 1;
            }
            Ok(None) => break,
            Err(_) => {
                eprintln!("idle: gave up connecting after {} s", args.connect_timeout);
                break;
            }
        }
    }
    let connect_s = began.elapsed().as_secs_f64();
    eprintln!("idle: {connected} connected, {failed} failed in {connect_s:.1} s");
    tokio::time::sleep(Duration::from_secs_f64(args.settle)).await;
    let rss_after_kib = vm_rss_kib(args.server_pid)?;
    let dropped = dropped.load(Ordering::Relaxed);

    let _ = stop_tx.send(true);
    let closing = futures::future::join_all(tasks);
    let _ = tokio::time::timeout(Duration::from_secs(10), closing).await;

    let alive = connected.saturating_sub(dropped);
    let result = IdleResult {
        target: args.target,
        count: args.count,
        connected,
        failed,
        dropped,
        sources: sources.len(),
        connect_s,
        rss_before_kib,
        rss_after_kib,
        bytes_per_connection: if alive == 0 {
            0.0
        } else {
            rss_after_kib.saturating_sub(rss_before_kib) as f64 * 1024.0 / alive as f64
        },
    };
    let json = serde_json::to_string_pretty(&result)?;
    if let Some(out) = &args.out {
        std::fs::write(out, &json).with_context(|| format!("write {}", out.display()))?;
    }
    println!("{json}");
    Ok(result)
}
