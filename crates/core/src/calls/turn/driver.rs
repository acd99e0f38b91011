//! The driver of the TURN server: one task that owns the protocol state (one sans-IO
//! `TurnServer` for the UDP port, one for the TCP port), takes the sockets' events in order,
//! passes client requests through the [`Gate`], binds relay sockets when an allocation asks
//! for one, keeps the protocol's timers on the injected clock and routes everything the
//! protocol wants sent to the socket it belongs to. Nothing reaches a peer the policy
//! refuses, whatever the protocol decided.

use super::gate::{Gate, Verdict};
use super::listen::{self, Event};
use crate::clock::Clock;
use crate::metrics::Metrics;
use rand::Rng;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use turn_server_proto::api::{
    SocketAllocateError, TcpConnectError, Transmit, TurnServerApi, TurnServerPollRet,
};
use turn_server_proto::server::TurnServer;
use turn_server_proto::types::{AddressFamily, Instant, TransportType};

/// The longest the driver sleeps without looking at the protocol's timers (the test clock
/// may jump while it sleeps).
const TICK: Duration = Duration::from_secs(1);

/// Where relay sockets are bound and what clients are told they are.
#[derive(Debug, Clone)]
pub struct RelaySetup {
    /// The address relay sockets bind to.
    pub bind_ip: IpAddr,
    /// The address clients are told (`XOR-RELAYED-ADDRESS`).
    pub public_ip: IpAddr,
    /// Lowest relay port (0 with `port_max` 0: any).
    pub port_min: u16,
    /// Highest relay port.
    pub port_max: u16,
}

/// Which protocol instance a socket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Udp,
    Tcp,
}

struct Relay {
    socket: Arc<UdpSocket>,
    side: Side,
    reader: JoinHandle<()>,
}

/// The driver's state.
pub struct Driver {
    udp: TurnServer,
    tcp: TurnServer,
    udp_socket: Arc<UdpSocket>,
    tcp_addr: SocketAddr,
    tcp_clients: HashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
    relays: HashMap<SocketAddr, Relay>,
    users: HashSet<String>,
    gate: Gate,
    relay: RelaySetup,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    events: mpsc::Sender<Event>,
}

impl Driver {
    /// A driver for the bound UDP socket and TCP address.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        udp_socket: Arc<UdpSocket>,
        tcp_addr: SocketAddr,
        realm: &str,
        gate: Gate,
        relay: RelaySetup,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        events: mpsc::Sender<Event>,
    ) -> std::io::Result<Driver> {
        let udp_addr = udp_socket.local_addr()?;
        Ok(Driver {
            udp: TurnServer::new(TransportType::Udp, udp_addr, realm.to_owned()),
            tcp: TurnServer::new(TransportType::Tcp, tcp_addr, realm.to_owned()),
            udp_socket,
            tcp_addr,
            tcp_clients: HashMap::new(),
            relays: HashMap::new(),
            users: HashSet::new(),
            gate,
            relay,
            clock,
            metrics,
            events,
        })
    }

    /// Take events until `stop` resolves.
    pub async fn run(
        mut self,
        mut events: mpsc::Receiver<Event>,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        let mut wait = TICK;
        loop {
            tokio::select! {
                _ = &mut stop => break,
                event = events.recv() => match event {
                    Some(event) => self.handle(event),
                    None => break,
                },
                _ = tokio::time::sleep(wait) => {}
            }
            wait = self.progress();
        }
        for (_, relay) in self.relays.drain() {
            relay.reader.abort();
        }
    }

    fn now(&self) -> Instant {
        Instant::from_nanos(self.clock.now_ms().saturating_mul(1_000_000))
    }

    fn server(&mut self, side: Side) -> &mut TurnServer {
        match side {
            Side::Udp => &mut self.udp,
            Side::Tcp => &mut self.tcp,
        }
    }

    fn handle(&mut self, event: Event) {
        let now = self.now();
        match event {
            Event::Udp { from, data } => {
                let to = self.udp.listen_address();
                self.client_sent(Side::Udp, from, to, data, now);
            }
            Event::Tcp { from, data } => {
                self.client_sent(Side::Tcp, from, self.tcp_addr, data, now);
            }
            Event::TcpOpen { from, writer } => {
                self.tcp_clients.insert(from, writer);
            }
            Event::TcpClosed { from } => {
                self.tcp_clients.remove(&from);
                let closed = Transmit {
                    data: Vec::new(),
                    transport: TransportType::Tcp,
                    from,
                    to: self.tcp_addr,
                };
                if let Some(out) = self.tcp.recv(closed, now) {
                    self.send(out.build());
                }
            }
            Event::Peer {
                relayed,
                from,
                data,
            } => {
                let Some(side) = self.relays.get(&relayed).map(|r| r.side) else {
                    return;
                };
                if !self.gate.peers().allows(from.ip()) {
                    return;
                }
                let transmit = Transmit {
                    data,
                    transport: TransportType::Udp,
                    from,
                    to: relayed,
                };
                if let Some(out) = self.server(side).recv(transmit, now) {
                    self.send(out.build());
                }
            }
        }
    }

    fn client_sent(
        &mut self,
        side: Side,
        from: SocketAddr,
        to: SocketAddr,
        data: Vec<u8>,
        now: Instant,
    ) {
        let transport = match side {
            Side::Udp => TransportType::Udp,
            Side::Tcp => TransportType::Tcp,
        };
        if from == to {
            // Nothing the server sends itself is a request.
            return;
        }
        match self.gate.inspect(&data, from, self.clock.now_ms()) {
            Verdict::Answer(answer) => self.send(Transmit {
                data: answer,
                transport,
                from: to,
                to: from,
            }),
            Verdict::Pass(user) => {
                if let Some((name, password)) = user {
                    if !self.users.contains(&name) {
                        self.udp.add_user(name.clone(), password.clone());
                        self.tcp.add_user(name.clone(), password);
                        self.users.insert(name);
                    }
                }
                let transmit = Transmit {
                    data,
                    transport,
                    from,
                    to,
                };
                if let Some(out) = self.server(side).recv(transmit, now) {
                    self.send(out.build());
                }
            }
        }
    }

    /// Let both protocol instances act on their timers and queues; returns how long to sleep.
    fn progress(&mut self) -> Duration {
        let mut wait = TICK;
        for side in [Side::Udp, Side::Tcp] {
            loop {
                let now = self.now();
                match self.server(side).poll(now) {
                    TurnServerPollRet::WaitUntil(at) => {
                        wait = wait.min(at.saturating_duration_since(now));
                        break;
                    }
                    TurnServerPollRet::AllocateSocket {
                        transport,
                        listen_addr,
                        client_addr,
                        allocation_transport,
                        family,
                    } => {
                        let result = if allocation_transport == TransportType::Udp {
                            self.allocate(side, family)
                        } else {
                            Err(SocketAllocateError::InsufficientCapacity)
                        };
                        self.server(side).allocated_socket(
                            transport,
                            listen_addr,
                            client_addr,
                            allocation_transport,
                            family,
                            result,
                            now,
                        );
                    }
                    TurnServerPollRet::TcpConnect {
                        relayed_addr,
                        peer_addr,
                        listen_addr,
                        client_addr,
                    } => self.server(side).tcp_connected(
                        relayed_addr,
                        peer_addr,
                        listen_addr,
                        client_addr,
                        Err(TcpConnectError::Forbidden),
                        now,
                    ),
                    TurnServerPollRet::TcpClose {
                        local_addr,
                        remote_addr,
                    } => {
                        if local_addr == self.tcp_addr {
                            self.tcp_clients.remove(&remote_addr);
                        }
                    }
                    TurnServerPollRet::SocketClose { listen_addr, .. } => {
                        if let Some(relay) = self.relays.remove(&listen_addr) {
                            relay.reader.abort();
                            self.metrics
                                .turn_allocations
                                .fetch_sub(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            while let Some(out) = {
                let now = self.now();
                self.server(side).poll_transmit(now)
            } {
                self.send(out);
            }
        }
        wait
    }

    /// Bind a relay socket in the port range.
    fn allocate(
        &mut self,
        side: Side,
        family: AddressFamily,
    ) -> Result<SocketAddr, SocketAllocateError> {
        let matches = matches!(
            (family, self.relay.bind_ip),
            (AddressFamily::IPV4, IpAddr::V4(_)) | (AddressFamily::IPV6, IpAddr::V6(_))
        );
        if !matches {
            return Err(SocketAllocateError::AddressFamilyNotSupported);
        }
        let socket = self
            .bind_relay()
            .ok_or(SocketAllocateError::InsufficientCapacity)?;
        let port = socket
            .local_addr()
            .map_err(|_| SocketAllocateError::InsufficientCapacity)?
            .port();
        let relayed = SocketAddr::new(self.relay.public_ip, port);
        let socket = Arc::new(socket);
        let reader = tokio::spawn(listen::read_relay(
            socket.clone(),
            relayed,
            self.events.clone(),
        ));
        self.relays.insert(
            relayed,
            Relay {
                socket,
                side,
                reader,
            },
        );
        Metrics::inc(&self.metrics.turn_allocations_total);
        self.metrics
            .turn_allocations
            .fetch_add(1, Ordering::Relaxed);
        Ok(relayed)
    }

    fn bind_relay(&self) -> Option<UdpSocket> {
        let (min, max) = (self.relay.port_min, self.relay.port_max);
        let try_port = |port: u16| {
            std::net::UdpSocket::bind(SocketAddr::new(self.relay.bind_ip, port))
                .and_then(|s| s.set_nonblocking(true).map(|()| s))
                .and_then(UdpSocket::from_std)
                .ok()
        };
        if min == 0 {
            return try_port(0);
        }
        let span = u32::from(max - min) + 1;
        let start = rand::thread_rng().gen_range(0..span);
        (0..span)
            .map(|i| min + ((start + i) % span) as u16)
            .find_map(try_port)
    }

    /// Write what the protocol wants sent to its socket.
    fn send(&mut self, out: Transmit<Vec<u8>>) {
        if out.transport == TransportType::Tcp && out.from == self.tcp_addr {
            if let Some(writer) = self.tcp_clients.get(&out.to) {
                if writer.try_send(listen::pad_for_tcp(out.data)).is_err() {
                    // Too far behind (or gone): cut it off rather than corrupt its stream.
                    self.tcp_clients.remove(&out.to);
                }
            }
        } else if out.transport == TransportType::Udp && out.from == self.udp.listen_address() {
            let _ = self.udp_socket.try_send_to(&out.data, out.to);
        } else if let Some(relay) = self.relays.get(&out.from) {
            if self.gate.peers().allows(out.to.ip()) {
                let _ = relay.socket.try_send_to(&out.data, out.to);
            }
        }
    }
}
