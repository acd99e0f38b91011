//! Wiring: builds the application from a [`Config`] (store, bus, blobs, code sender, operator
//! token) and serves it with graceful shutdown. The `wasla` binary and the testkit both start
//! servers through here.

pub mod cli;
mod data_dir;

use anyhow::Context;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower::Layer;
use wasla_core::accounts::{CodeSender, LogCodeSender, WebhookCodeSender};
use wasla_core::blob::FsBlobStore;
use wasla_core::bus::{Bus, InProcessBus, NatsBus};
use wasla_core::clock::Clock;
use wasla_core::crypto::AtRestKey;
use wasla_core::Parts;
use wasla_core::{Config, Wasla};
use wasla_store::{SqlStore, StoreOptions};

/// Build the application for `config`, creating the data directory if needed (readable only
/// by this user, like every file in it: see `data_dir`).
pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<Wasla>> {
    data_dir::prepare(&config)?;
    let operator_token = operator_token(&config)?;
    let database_url = config.database_url();
    data_dir::prepare_sqlite(&database_url)?;
    let store = SqlStore::open(
        &database_url,
        &StoreOptions {
            sqlite_synchronous: config.sqlite.synchronous.clone(),
            // App secrets are sealed under a key only the operator's token gives.
            at_rest: Some(AtRestKey::from_operator_token(&operator_token)),
            ..StoreOptions::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?;
    let codes: Arc<dyn CodeSender> = if config.verification.webhook_url.is_empty() {
        Arc::new(LogCodeSender)
    } else {
        Arc::new(WebhookCodeSender::new(
            config.verification.webhook_url.clone(),
        ))
    };
    let bus: Arc<dyn Bus> = if config.nats_url.is_empty() {
        Arc::new(InProcessBus::default())
    } else {
        Arc::new(
            NatsBus::connect(&config.nats_url)
                .await
                .map_err(anyhow::Error::msg)?,
        )
    };
    let blobs = Arc::new(FsBlobStore::new(config.media_dir()).map_err(|e| anyhow::anyhow!("{e}"))?);
    let app = Wasla::new(Parts {
        config,
        store: Arc::new(store),
        bus,
        clock,
        blobs,
        codes,
        operator_token,
    });
    // The shipped rate card, when the operator has not imported a default card.
    app.billing
        .ensure_default_card()
        .await
        .map_err(|e| anyhow::anyhow!("loading the default rate card: {e}"))?;
    Ok(app)
}

/// Serve until `shutdown` resolves, then finish in-flight requests.
pub async fn serve(
    app: Arc<Wasla>,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Trailing slashes are tolerated everywhere (some SDKs add them).
    let router = tower_http::normalize_path::NormalizePathLayer::trim_trailing_slash()
        .layer(wasla_http::router(app.clone()));
    let worker = app.integration.spawn_webhook_worker();
    let commerce = app.commerce.spawn_commerce_worker();
    let automations = app.tools.spawn_automation_worker();
    let inbox_worker = app.tools.spawn_inbox_worker();
    let audit = app.business.spawn_audit_worker();
    let limits_worker = app.billing.spawn_limits_worker();
    let low_balance = app.billing.spawn_low_balance_worker();
    let calls_worker = app.calls.spawn_call_worker();
    // The built-in STUN/TURN server; it stops when the server starts stopping.
    let turn = app.turn.start().await;
    // The SFU of group calls (docs/group-calls.md); it stops when the server starts stopping.
    let sfu = app.group_calls.start().await;
    let status_expiry = app.status.spawn_status_expiry_worker();
    let ads_sweep = app.status.spawn_ads_sweep_worker();
    let audit_log = app.business.clone();
    // Rate limits as every node left them, before the first request.
    let limits = app.integration.start_rate_limit_sync().await;
    let integration = app.integration.clone();
    let (drained_tx, drained_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        // WebSockets close with "going away" so clients reconnect elsewhere; HTTP requests in
        // flight finish (their writes are committed before they answer).
        app.begin_shutdown();
        let _ = drained_tx.send(());
    };
    // Without TCP_NODELAY a second small frame on a socket (a receipt's status right after a
    // message's ack) waits for the peer's delayed ACK, up to 40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "setting TCP_NODELAY failed");
        }
    });
    // With the peer's address, which the throttles of sign-ins read (`ClientAddr`).
    let server = axum::serve(
        listener,
        axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            std::net::SocketAddr,
        >(router),
    )
    .with_graceful_shutdown(signal);
    tokio::select! {
        result = server => result?,
        _ = async {
            let _ = drained_rx.await;
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        } => tracing::warn!("connections still open after 10 s; stopping anyway"),
    }
    let _ = worker.await;
    let _ = commerce.await;
    let _ = automations.await;
    let _ = inbox_worker.await;
    let _ = audit.await;
    let _ = limits_worker.await;
    let _ = low_balance.await;
    let _ = calls_worker.await;
    if let Some(turn) = turn {
        let _ = turn.await;
    }
    if let Some(sfu) = sfu {
        let _ = sfu.await;
    }
    let _ = status_expiry.await;
    let _ = ads_sweep.await;
    // What the last requests used of the rate limits.
    let _ = limits.await;
    integration.sync_rate_limits().await;
    // What the last requests recorded in the audit log.
    if let Err(e) = audit_log.flush_audit().await {
        tracing::error!(error = %e, "writing the audit log");
    }
    Ok(())
}

/// The operator token: from the configuration, else read from (or created in) the data dir,
/// readable only by its owner.
pub fn operator_token(config: &Config) -> anyhow::Result<String> {
    if let Ok(existing) = operator_token_for_client(config) {
        return Ok(existing);
    }
    let path = config.operator_token_path();
    let token = wasla_core::ids::new_token();
    data_dir::prepare(config)?;
    write_private(&path, &token).with_context(|| format!("writing {}", path.display()))?;
    Ok(token)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()
}

/// The operator token a CLI command uses: from the configuration, else the server's file.
pub fn operator_token_for_client(config: &Config) -> anyhow::Result<String> {
    if !config.operator_token.is_empty() {
        return Ok(config.operator_token.clone());
    }
    let path = config.operator_token_path();
    std::fs::read_to_string(&path)
        .map(|t| t.trim().to_string())
        .with_context(|| format!("reading the operator token at {} (use the same --data-dir as the server, or set WASLA_OPERATOR_TOKEN)", path.display()))
}
