//! The `wasla` binary: `serve`, `config-example`, and the operator's `admin` and `person`
//! commands, which talk to a running server found through the same configuration.

use clap::Parser;
use std::sync::Arc;
use wasla_core::clock::SystemClock;
use wasla_server::cli::{Cli, Command};

/// mimalloc instead of the system allocator: the server allocates and frees small buffers for
/// every frame and statement, and glibc's allocator took about a sixth of its CPU time under
/// load (`bench/RESULTS.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::ConfigExample => {
            print!("{}", wasla_core::config::EXAMPLE);
            Ok(())
        }
        Command::Serve => serve(&cli).await,
        Command::Admin(_) | Command::Person(_) => wasla_server::cli::run_client(&cli).await,
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn serve(cli: &Cli) -> anyhow::Result<()> {
    let config = cli.config()?;
    init_tracing(&config);
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let app = wasla_server::build(config.clone(), Arc::new(SystemClock)).await?;
    let url = config.public_url();
    let bound = listener.local_addr()?;
    println!("Wasla is running on http://{bound}");
    println!("  web client:     {url}/");
    println!("  data directory: {}", config.data_dir.display());
    println!(
        "  operator token: {}",
        config.operator_token_path().display()
    );
    println!("  create a business:  wasla admin business create --name \"Acme\"");
    println!("  then a number:      wasla admin phone-number create --waba <id> --number +15550001111 --verified-name \"Acme\"");
    println!("  and a token:        wasla admin token create --waba <id>");
    wasla_server::serve(app, listener, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn init_tracing(config: &wasla_core::Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
