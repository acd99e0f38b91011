//! `wasla-bench`: Wasla's benchmark tool. Owns the command line: the baseline servers
//! (`relay`, `bare-ws`, `hello`, `echo-api`, `echo-hooks`), fixtures (`setup`, `api-setup`), the load
//! generators (`e2e`, `idle`, `api`), the `pricing-analytics` measurement over a seeded
//! ledger, a free-port finder for `bench/run.sh` and the `report` that writes
//! `bench/RESULTS.md`.

mod analytics;
mod api;
mod api_load;
mod api_setup;
mod bare_ws;
mod client;
mod driver;
mod e2e;
mod echo_api;
mod echo_hooks;
mod hello;
mod hooks;
mod idle;
mod people;
mod relay;
mod report;
mod report_api;
mod schedule;
mod setup;
mod stats;
mod status;

use anyhow::{Context, Result};
use axum::serve::ListenerExt;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;

/// Benchmarks for Wasla: baselines and load generators.
#[derive(Debug, Parser)]
#[command(name = "wasla-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the bare relay baseline (same frames as Wasla, no storage, no receipts).
    Relay {
        /// Loopback address to listen on.
        #[arg(long)]
        listen: SocketAddr,
    },
    /// Run the bare idle-connection baseline (axum WebSocket, 4 KiB buffers).
    BareWs {
        /// Loopback address to listen on.
        #[arg(long)]
        listen: SocketAddr,
    },
    /// Run the bare hyper hello-world baseline (hyper 1, no axum).
    Hello {
        /// Loopback address to listen on.
        #[arg(long)]
        listen: SocketAddr,
    },
    /// Run the bare axum baseline that parses a Cloud API send and answers without storage.
    EchoApi {
        /// Loopback address to listen on.
        #[arg(long)]
        listen: SocketAddr,
    },
    /// Run the webhook floor: the axum echo plus three signed status POSTs per send.
    EchoHooks {
        /// Loopback address to listen on.
        #[arg(long)]
        listen: SocketAddr,
        /// Where to POST the status webhooks, e.g. http://127.0.0.1:9000/hook.
        #[arg(long)]
        hook_url: String,
    },
    /// Prepare a running Wasla for the Cloud API benchmark (business, app, token, people).
    ApiSetup(api_setup::ApiSetupArgs),
    /// Cloud API send and webhook load.
    Api(api::ApiArgs),
    /// Register people (and pair them in chats) in a running Wasla.
    Setup(setup::SetupArgs),
    /// End-to-end messaging load.
    E2e(e2e::E2eArgs),
    /// Idle connections and server memory per connection.
    Idle(idle::IdleArgs),
    /// Status fan-out to connected contacts, and feed reads as live updates grow.
    Status(status::StatusArgs),
    /// `pricing_analytics` latency over a seeded ledger (setup, seed, measure).
    PricingAnalytics(analytics::AnalyticsArgs),
    /// Print a TCP port on 127.0.0.1 that is free right now.
    FreePort,
    /// Write the results of a run into RESULTS.md.
    Report(report::ReportArgs),
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Relay { listen } => serve(listen, relay::router()),
        Command::BareWs { listen } => serve(listen, bare_ws::router()),
        Command::Hello { listen } => {
            anyhow::ensure!(listen.ip().is_loopback(), "loopback only");
            idle::raise_fd_limit(1024)?;
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(hello::serve(listen))
        }
        Command::EchoApi { listen } => serve(listen, echo_api::router()),
        Command::EchoHooks { listen, hook_url } => serve(listen, echo_hooks::router(hook_url)),
        Command::ApiSetup(args) => generator(api_setup::run(args)),
        Command::Api(args) => {
            idle::raise_fd_limit(args.connections as u64 + 1024)?;
            generator(async move { api::run(args).await.map(|_| ()) })
        }
        Command::Setup(args) => generator(setup::run(args)),
        Command::E2e(args) => {
            idle::raise_fd_limit(args.pairs as u64 * 2 + 64)?;
            generator(async move { e2e::run(args).await.map(|_| ()) })
        }
        Command::Idle(args) => generator(async move { idle::run(args).await.map(|_| ()) }),
        Command::Status(args) => {
            idle::raise_fd_limit(args.contacts as u64 + 1024)?;
            generator(async move { status::run(args).await.map(|_| ()) })
        }
        Command::PricingAnalytics(args) => generator(analytics::run(args)),
        Command::FreePort => {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            println!("{}", listener.local_addr()?.port());
            Ok(())
        }
        Command::Report(args) => report::run(args),
    }
}

/// Load generators run on one thread: the scripts pin them to one core.
fn generator(job: impl std::future::Future<Output = Result<()>>) -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(job)
}

/// Sockets accepted by the benchmark's servers send small writes at once, as Wasla's do.
pub(crate) fn no_delay(tcp: &mut tokio::net::TcpStream) {
    let _ = tcp.set_nodelay(true);
}

/// Baseline servers use the same runtime shape as Wasla (a worker per available core).
fn serve(listen: SocketAddr, router: axum::Router) -> Result<()> {
    anyhow::ensure!(
        listen.ip().is_loopback(),
        "benchmark servers listen on the loopback network only"
    );
    idle::raise_fd_limit(1024)?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("listen on {listen}"))?;
            eprintln!("listening on {listen}");
            axum::serve(listener.tap_io(no_delay), router)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
            Ok(())
        })
}
