//! The shared ground every domain service stands on: configuration, time, row ids, the
//! live-event bus, media bytes, metrics, throttles against guessing, the signal that new
//! webhooks wait in the outbox, and the signal that the server is stopping. Cheap to clone;
//! every service holds one.

use crate::blob::BlobStore;
use crate::bus::Bus;
use crate::clock::Clock;
use crate::config::Config;
use crate::ids::IdGen;
use crate::metrics::Metrics;
use crate::outbound::{Network, Outbound};
use crate::throttle::{MemoryThrottleStore, ThrottleStore, Throttles};
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// What every domain service is built with.
#[derive(Clone)]
pub struct Ground {
    /// Effective configuration.
    pub config: Arc<Config>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Row ids.
    pub ids: Arc<IdGen>,
    /// Live events.
    pub bus: Arc<dyn Bus>,
    /// Media bytes.
    pub blobs: Arc<dyn BlobStore>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Throttles of attempts (codes, guesses, passwords), kept in the store that
    /// [`Ground::with_throttle_store`] gives (in memory until then).
    pub throttles: Arc<Throttles>,
    /// Notified when a commit queued webhooks, so the delivery worker wakes at once.
    pub outbox_ready: Arc<Notify>,
    shutdown: Arc<watch::Sender<bool>>,
    outbound: Outbound,
}

impl Ground {
    /// Ground for `config` with these clock, bus and blobs.
    pub fn new(
        config: Config,
        clock: Arc<dyn Clock>,
        bus: Arc<dyn Bus>,
        blobs: Arc<dyn BlobStore>,
    ) -> Ground {
        let outbound = Outbound {
            allow_private: config.outbound.allow_private_targets,
            allowed: Arc::new(
                config
                    .outbound
                    .allowed_networks
                    .iter()
                    .filter_map(|n| Network::parse(n))
                    .collect(),
            ),
        };
        let ids = Arc::new(IdGen::new(config.node_id));
        let throttles = Arc::new(Throttles::new(
            Arc::new(MemoryThrottleStore::default()),
            clock.clone(),
            ids.clone(),
            &config.trusted_proxies,
        ));
        Ground {
            outbound,
            ids,
            throttles,
            config: Arc::new(config),
            clock,
            bus,
            blobs,
            metrics: Arc::default(),
            outbox_ready: Arc::new(Notify::new()),
            shutdown: Arc::new(watch::channel(false).0),
        }
    }

    /// The same ground with throttles kept in `store` (the database, shared by every node).
    pub fn with_throttle_store(mut self, store: Arc<dyn ThrottleStore>) -> Ground {
        self.throttles = Arc::new(Throttles::new(
            store,
            self.clock.clone(),
            self.ids.clone(),
            &self.config.trusted_proxies,
        ));
        self
    }

    /// The rule for connecting to tenants' URLs.
    pub fn outbound(&self) -> Outbound {
        self.outbound.clone()
    }

    /// Now, Unix ms.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Tell long-lived connections and workers that the server is stopping.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves when the server starts stopping.
    pub async fn stopping(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}
