//! STUN and TURN inside the binary, so call media gets through NATs and firewalls: a STUN
//! responder and a TURN relay on one port over UDP and TCP, relaying UDP to peers
//! (`docs/calls-network.md`). The protocol is `turn-server-proto`'s sans-IO server
//! (RFC 5766/8656, maintained with the librice ICE stack); this module owns what it leaves
//! to its user: the sockets ([`listen`]), the loop that drives it on the injected clock
//! ([`driver`]), short-lived credentials in the TURN REST API's scheme ([`credentials`]),
//! the peers a relay may reach ([`peers`]) and the checks in front of the protocol
//! ([`gate`]). [`Turn`] is the service: it starts the server with `wasla serve` and hands
//! signed-in clients their ICE servers, the built-in one and any external ones configured.

pub mod credentials;
pub mod driver;
pub mod gate;
pub mod listen;
pub mod peers;

use crate::ground::Ground;
use credentials::Credentials;
use driver::{Driver, RelaySetup};
use gate::Gate;
use peers::PeerPolicy;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use wasla_types::ice::{IceServer, IceServers};

/// Events queued from the sockets to the driver before readers wait.
const EVENT_QUEUE: usize = 4096;

/// The addresses the built-in server listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnAddrs {
    /// The UDP socket (STUN and TURN over UDP).
    pub udp: SocketAddr,
    /// The TCP listener (TURN over TCP).
    pub tcp: SocketAddr,
}

/// The built-in STUN/TURN server and the ICE servers clients are given.
pub struct Turn {
    ground: Ground,
    credentials: Credentials,
    bound: watch::Sender<Option<TurnAddrs>>,
}

impl Turn {
    /// The service; its credential secret is the configured one or, when none is, derived
    /// from the operator token (the same on every node of a cluster).
    pub fn new(ground: Ground, operator_token: &str) -> Turn {
        let configured = &ground.config.calls.turn.secret;
        let secret = if configured.is_empty() {
            crate::ids::token_hash(&format!("turn-credentials:{operator_token}"))
        } else {
            configured.clone()
        };
        Turn {
            ground,
            credentials: Credentials::new(secret),
            bound: watch::channel(None).0,
        }
    }

    /// The credential rule of the built-in server.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Where the built-in server listens, once it does.
    pub fn bound(&self) -> Option<TurnAddrs> {
        *self.bound.borrow()
    }

    /// Wait until the built-in server listens.
    pub async fn wait_bound(&self) -> TurnAddrs {
        let mut rx = self.bound.subscribe();
        let bound = rx.wait_for(Option::is_some).await;
        bound
            .ok()
            .and_then(|b| *b)
            .expect("the sender lives in self")
    }

    /// Start the built-in server when it is enabled; it stops when the server starts
    /// stopping. A port already taken is logged and calls fall back to the external ICE
    /// servers (the rest of the server still starts).
    pub async fn start(&self) -> Option<JoinHandle<()>> {
        let config = &self.ground.config.calls.turn;
        if !config.enabled {
            return None;
        }
        let listen: SocketAddr = config.listen.parse().ok()?;
        let (udp, tcp) = match listen::bind(listen).await {
            Ok(sockets) => sockets,
            Err(e) => {
                tracing::error!(listen = %listen, error = %e, "the TURN server cannot listen (calls.turn.listen); calls use only the external ICE servers");
                return None;
            }
        };
        let (udp_addr, tcp_addr) = (udp.local_addr().ok()?, tcp.local_addr().ok()?);
        let relay = RelaySetup {
            bind_ip: listen.ip(),
            public_ip: self.relay_public_ip(listen.ip()).await,
            port_min: config.relay_port_min,
            port_max: config.relay_port_max,
        };
        let gate = Gate::new(
            self.credentials.clone(),
            PeerPolicy::new(&config.allowed_peers),
            config.realm.clone(),
        );
        let udp = Arc::new(udp);
        let (events_tx, events) = mpsc::channel(EVENT_QUEUE);
        let driver = Driver::new(
            udp.clone(),
            tcp_addr,
            &config.realm,
            gate,
            relay.clone(),
            self.ground.clock.clone(),
            self.ground.metrics.clone(),
            events_tx.clone(),
        )
        .ok()?;
        let readers = [
            tokio::spawn(listen::read_udp(udp, events_tx.clone())),
            tokio::spawn(listen::accept_tcp(tcp, events_tx)),
        ];
        tracing::info!(udp = %udp_addr, tcp = %tcp_addr, relay_ip = %relay.public_ip, "STUN/TURN server listening");
        self.bound.send_replace(Some(TurnAddrs {
            udp: udp_addr,
            tcp: tcp_addr,
        }));
        let ground = self.ground.clone();
        Some(tokio::spawn(async move {
            driver.run(events, ground.stopping()).await;
            for reader in readers {
                reader.abort();
            }
        }))
    }

    /// The address relayed addresses are given with: the configured public address, else
    /// the listen address, else the public URL's host (resolved if it is a name).
    async fn relay_public_ip(&self, listen_ip: IpAddr) -> IpAddr {
        let config = &self.ground.config;
        if let Ok(ip) = config.calls.turn.public_ip.parse() {
            return ip;
        }
        if !listen_ip.is_unspecified() {
            return listen_ip;
        }
        let host = self.public_host();
        if let Ok(ip) = host.trim_matches(['[', ']']).parse() {
            return ip;
        }
        let resolved = tokio::net::lookup_host((host.as_str(), 0)).await;
        match resolved.ok().and_then(|mut addrs| addrs.next()) {
            Some(addr) => addr.ip(),
            None => {
                tracing::warn!(host = %host, "cannot tell the TURN relay's public address: set calls.turn.public_ip");
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            }
        }
    }

    /// The host clients reach the built-in server at (for URLs; IPv6 in brackets).
    fn public_host(&self) -> String {
        let config = &self.ground.config;
        match config.calls.turn.public_ip.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => format!("[{v6}]"),
            Ok(ip) => ip.to_string(),
            Err(_) => url::Url::parse(&config.public_url())
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| "127.0.0.1".into()),
        }
    }

    /// The ICE servers for a client of `session`: the built-in server (when it runs) with a
    /// credential of its own, then the external ones.
    pub fn ice_servers(&self, session: &str) -> IceServers {
        let now = self.ground.now();
        let ttl = self.ground.config.calls.turn.credential_ttl_secs;
        let mut servers = Vec::new();
        let mut expires_at = None;
        if let Some(addrs) = self.bound() {
            let host = self.public_host();
            let credential = self.credentials.issue(session, now, ttl);
            expires_at = Some(credential.expires_at);
            servers.push(IceServer {
                urls: vec![
                    format!("stun:{host}:{}", addrs.udp.port()),
                    format!("turn:{host}:{}?transport=udp", addrs.udp.port()),
                    format!("turn:{host}:{}?transport=tcp", addrs.tcp.port()),
                ],
                username: Some(credential.username),
                credential: Some(credential.password),
            });
        }
        for external in &self.ground.config.calls.ice_servers {
            let (username, credential) = if !external.secret.is_empty() {
                let c = Credentials::new(external.secret.clone()).issue(session, now, ttl);
                expires_at = Some(c.expires_at);
                (Some(c.username), Some(c.password))
            } else if !external.username.is_empty() {
                (
                    Some(external.username.clone()),
                    Some(external.credential.clone()),
                )
            } else {
                (None, None)
            };
            servers.push(IceServer {
                urls: external.urls.clone(),
                username,
                credential,
            });
        }
        IceServers {
            ice_servers: servers,
            // Static credentials do not expire; ask again within the TTL all the same.
            expires_at: expires_at
                .unwrap_or(now.div_euclid(1000) + ttl.min(i64::MAX as u64 / 2) as i64),
        }
    }
}
