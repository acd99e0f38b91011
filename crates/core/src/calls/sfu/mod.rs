//! Group calls through the SFU inside the binary: a call is one room on one node, every
//! participant's media goes to the server over one UDP socket and is forwarded to the others.
//! Each participant has its own `str0m` peer connection (sans-IO WebRTC, ICE-lite with one
//! host candidate); the loop that owns them is `engine.rs` (media forwarding in `forward.rs`,
//! a participant's connection and renegotiation in `peer.rs`, the simulcast layer each
//! receiver gets in `layers.rs`, the active speaker from RFC 6464 audio levels in
//! `speakers.rs`). The rooms and their signalling over the WebSocket (start, ring the
//! group's members, join, answer, leave, the cap, membership checks) are in `rooms.rs` and
//! `signal.rs`. See `docs/group-calls.md`.

mod checks;
mod engine;
mod forward;
pub mod layers;
mod peer;
mod rooms;
mod signal;
pub mod speakers;

use crate::chats::Chats;
use crate::ground::Ground;
use engine::{Command, Engine};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// Commands queued to the SFU loop before senders wait.
const COMMAND_QUEUE: usize = 1024;

/// The group calls service: the rooms, their signalling and the SFU that carries them.
pub struct GroupCalls {
    ground: Ground,
    chats: Arc<Chats>,
    rooms: Mutex<rooms::Rooms>,
    commands: Mutex<Option<mpsc::Sender<Command>>>,
    bound: watch::Sender<Option<SocketAddr>>,
    /// The last participant id given (small numbers, so JavaScript reads them exactly).
    last_participant: std::sync::atomic::AtomicU64,
}

impl GroupCalls {
    /// The service; the SFU itself starts with [`GroupCalls::start`].
    pub fn new(ground: Ground, chats: Arc<Chats>) -> GroupCalls {
        GroupCalls {
            ground,
            chats,
            rooms: Mutex::new(rooms::Rooms::default()),
            commands: Mutex::new(None),
            bound: watch::channel(None).0,
            last_participant: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The UDP address the SFU listens on, once it does.
    pub fn bound(&self) -> Option<SocketAddr> {
        *self.bound.borrow()
    }

    /// Wait until the SFU listens.
    pub async fn wait_bound(&self) -> SocketAddr {
        let mut rx = self.bound.subscribe();
        let bound = rx.wait_for(Option::is_some).await;
        bound
            .ok()
            .and_then(|b| *b)
            .expect("the sender lives in self")
    }

    /// Bind the SFU's socket and start its loop (when enabled); it stops when the server
    /// stops. A port already taken is logged and group calls are refused.
    pub async fn start(self: &Arc<Self>) -> Option<JoinHandle<()>> {
        let config = &self.ground.config.calls.sfu;
        if !config.enabled {
            return None;
        }
        let listen: SocketAddr = config.udp_listen.parse().ok()?;
        let socket = match UdpSocket::bind(listen).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(listen = %listen, error = %e, "the SFU cannot listen (calls.sfu.udp_listen); group calls are off");
                return None;
            }
        };
        let local = socket.local_addr().ok()?;
        let host = SocketAddr::new(self.public_ip(local.ip()).await, local.port());
        let (commands, commands_rx) = mpsc::channel(COMMAND_QUEUE);
        let (reports, mut reports_rx) = mpsc::unbounded_channel();
        let engine = Engine {
            socket: Arc::new(socket),
            local,
            host,
            crypto: Arc::new(str0m::crypto::from_feature_flags()),
            peers: HashMap::new(),
            speakers: HashMap::new(),
            last_n: config.last_n_speakers.max(1) as usize,
            reports,
        };
        *self.commands.lock() = Some(commands);
        tracing::info!(udp = %local, candidate = %host, "group call SFU listening");
        self.bound.send_replace(Some(local));
        let ground = self.ground.clone();
        let me = self.clone();
        let reporter = tokio::spawn(async move {
            while let Some(report) = reports_rx.recv().await {
                me.on_report(report).await;
            }
        });
        Some(tokio::spawn(async move {
            engine.run(commands_rx, ground.stopping()).await;
            reporter.abort();
        }))
    }

    /// The address put in the host candidate: the configured one, else the listen address
    /// when it is a specific one, else the public URL's host (resolved if it is a name).
    async fn public_ip(&self, listen_ip: IpAddr) -> IpAddr {
        let config = &self.ground.config;
        if let Ok(ip) = config.calls.sfu.public_ip.parse() {
            return ip;
        }
        if !listen_ip.is_unspecified() {
            return listen_ip;
        }
        let host = url::Url::parse(&config.public_url())
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "127.0.0.1".into());
        if let Ok(ip) = host.trim_matches(['[', ']']).parse() {
            return ip;
        }
        let resolved = tokio::net::lookup_host((host.as_str(), 0)).await;
        match resolved.ok().and_then(|mut addrs| addrs.next()) {
            Some(addr) => addr.ip(),
            None => {
                tracing::warn!(host = %host, "cannot tell the SFU's public address: set calls.sfu.public_ip");
                IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
            }
        }
    }

    /// Send a command to the loop.
    async fn command(&self, cmd: Command) -> crate::error::Result<()> {
        let sender = self.commands.lock().clone();
        let sender = sender.ok_or_else(|| {
            crate::error::Error::Conflict("group calls are not available on this server".into())
        })?;
        sender
            .send(cmd)
            .await
            .map_err(|_| crate::error::Error::Conflict("the server is stopping".into()))
    }
}
