//! The SFU's loop: one task owns the UDP socket and every participant's peer connection. It
//! reads datagrams and hands each to the connection that accepts it, runs the commands the
//! signalling sends (join, answer, view, leave), drives the connections' timers, forwards
//! media (`forward.rs`) and reports what the signalling must tell devices: a new offer, a
//! participant dropped because its connection stopped answering, a new speaker order.

use super::peer::{Peer, TrackIn};
use super::speakers::Speakers;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::net::{Protocol, Receive};
use str0m::{Event, IceConnectionState, Input, Output};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

/// How long a participant may take to connect after joining.
const CONNECT_WITHIN: Duration = Duration::from_secs(20);
/// How long a connected participant may stay silent (browsers send consent checks and RTCP
/// every few seconds, and media far more often) before it is dropped.
const SILENT_FOR: Duration = Duration::from_secs(15);
/// How often speakers are looked at.
const SPEAKER_TICK: Duration = Duration::from_millis(300);

/// What the signalling asks of the loop.
pub(super) enum Command {
    /// A participant joins a room with its offer; the answer (or why not) comes back.
    Join {
        room: u64,
        peer: u64,
        offer: SdpOffer,
        reply: oneshot::Sender<Result<String, String>>,
    },
    /// A participant answered the server's offer.
    Answer {
        peer: u64,
        answer: SdpAnswer,
        reply: oneshot::Sender<Result<(), String>>,
    },
    /// The tile heights a participant shows the others at.
    View { peer: u64, tiles: HashMap<u64, u32> },
    /// A participant left.
    Leave { peer: u64 },
}

/// What the loop tells the signalling.
#[derive(Debug)]
pub(super) enum Report {
    /// Send this offer to the participant's device.
    Offer { peer: u64, sdp: String },
    /// The participant's connection stopped answering (or never connected): it is gone.
    Dropped { peer: u64 },
    /// The speaker order of a room changed.
    Speakers { room: u64, order: Vec<u64> },
}

/// The loop's state.
pub(super) struct Engine {
    pub socket: Arc<UdpSocket>,
    pub local: SocketAddr,
    pub host: SocketAddr,
    pub crypto: Arc<str0m::crypto::CryptoProvider>,
    pub peers: HashMap<u64, Peer>,
    pub speakers: HashMap<u64, Speakers>,
    pub last_n: usize,
    pub reports: mpsc::UnboundedSender<Report>,
}

impl Engine {
    /// Run until the commands' sender is dropped or the server stops.
    pub async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        stopping: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stopping);
        let mut buf = vec![0u8; 2000];
        let mut next_tick = Instant::now() + SPEAKER_TICK;
        loop {
            let now = Instant::now();
            let deadline = self.drive(now).min(next_tick);
            let socket = self.socket.clone();
            tokio::select! {
                _ = &mut stopping => break,
                cmd = commands.recv() => match cmd {
                    Some(cmd) => self.command(cmd),
                    None => break,
                },
                got = socket.recv_from(&mut buf) => {
                    if let Ok((n, source)) = got {
                        self.datagram(&buf[..n], source);
                    }
                }
                _ = tokio::time::sleep_until(deadline.into()) => {}
            }
            let now = Instant::now();
            for peer in self.peers.values_mut() {
                if peer.rtc.is_alive() {
                    let _ = peer.rtc.handle_input(Input::Timeout(now));
                }
            }
            if now >= next_tick {
                next_tick = now + SPEAKER_TICK;
                self.tick_speakers();
            }
        }
        for peer in self.peers.values_mut() {
            peer.rtc.disconnect();
        }
    }

    /// Run one command.
    fn command(&mut self, cmd: Command) {
        match cmd {
            Command::Join {
                room,
                peer,
                offer,
                reply,
            } => {
                let made = Peer::accept(
                    peer,
                    room,
                    offer,
                    self.host,
                    self.crypto.clone(),
                    Instant::now(),
                );
                let answer = match made {
                    Ok((mut new, answer)) => {
                        for other in self.peers.values().filter(|p| p.room == room) {
                            for track in &other.tracks_in {
                                new.open(other.id, track);
                            }
                        }
                        self.peers.insert(peer, new);
                        Ok(answer.to_sdp_string())
                    }
                    Err(e) => Err(e),
                };
                let _ = reply.send(answer);
            }
            Command::Answer {
                peer,
                answer,
                reply,
            } => {
                let result = match self.peers.get_mut(&peer) {
                    Some(p) => p.answered(answer),
                    None => Err("not in the call".into()),
                };
                tracing::debug!(peer, ?result, "sfu answer");
                let _ = reply.send(result);
            }
            Command::View { peer, tiles } => {
                if let Some(p) = self.peers.get_mut(&peer) {
                    p.tiles = Some(tiles);
                }
            }
            Command::Leave { peer } => self.remove(peer),
        }
    }

    /// Remove a participant and stop its tracks at the others.
    fn remove(&mut self, id: u64) {
        let Some(mut gone) = self.peers.remove(&id) else {
            return;
        };
        gone.rtc.disconnect();
        for other in self.peers.values_mut().filter(|p| p.room == gone.room) {
            other.close_from(id);
        }
        if let Some(s) = self.speakers.get_mut(&gone.room) {
            s.forget(id);
        }
        if !self.peers.values().any(|p| p.room == gone.room) {
            self.speakers.remove(&gone.room);
        }
    }

    /// Hand a datagram to the connection that accepts it.
    fn datagram(&mut self, data: &[u8], source: SocketAddr) {
        let Ok(contents) = data.try_into() else {
            return;
        };
        let input = Input::Receive(
            Instant::now(),
            Receive {
                proto: Protocol::Udp,
                source,
                destination: self.local,
                contents,
            },
        );
        if let Some(peer) = self.peers.values_mut().find(|p| p.rtc.accepts(&input)) {
            peer.heard_at = Instant::now();
            if peer.rtc.handle_input(input).is_err() {
                peer.rtc.disconnect();
            }
        }
    }

    /// Poll every connection until it waits; returns when the next timer is due.
    fn drive(&mut self, now: Instant) -> Instant {
        let mut deadline = now + Duration::from_millis(100);
        let ids: Vec<u64> = self.peers.keys().copied().collect();
        let mut dead = Vec::new();
        for id in ids {
            if let Some(offer) = self.peers.get_mut(&id).and_then(Peer::negotiate) {
                let sdp = offer.to_sdp_string();
                tracing::debug!(peer = id, "sfu offers");
                let _ = self.reports.send(Report::Offer { peer: id, sdp });
            }
            while let Some(peer) = self.peers.get_mut(&id) {
                let never_connected =
                    !peer.connected && now.duration_since(peer.joined_at) > CONNECT_WITHIN;
                let silent = peer.connected && now.duration_since(peer.heard_at) > SILENT_FOR;
                if !peer.rtc.is_alive() || never_connected || silent {
                    dead.push(id);
                    break;
                }
                match peer.rtc.poll_output() {
                    Ok(Output::Timeout(t)) => {
                        deadline = deadline.min(t);
                        break;
                    }
                    Ok(Output::Transmit(t)) => {
                        let _ = self.socket.try_send_to(&t.contents, t.destination);
                    }
                    Ok(Output::Event(event)) => self.event(id, event),
                    Err(_) => peer.rtc.disconnect(),
                }
            }
        }
        for id in dead {
            self.remove(id);
            let _ = self.reports.send(Report::Dropped { peer: id });
        }
        deadline.max(now + Duration::from_millis(1))
    }

    /// Act on one connection's event.
    fn event(&mut self, id: u64, event: Event) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        if matches!(
            event,
            Event::Connected | Event::IceConnectionStateChange(_) | Event::MediaAdded(_)
        ) {
            tracing::debug!(peer = id, ?event, "sfu event");
        }
        match event {
            Event::Connected => peer.connected = true,
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                peer.rtc.disconnect();
            }
            Event::MediaAdded(added) if added.direction.is_receiving() => {
                let track = TrackIn {
                    mid: added.mid,
                    kind: added.kind,
                    layers: HashMap::new(),
                    asked_keyframe: HashMap::new(),
                };
                peer.tracks_in.push(track.clone());
                let room = peer.room;
                for other in self.peers.values_mut() {
                    if other.room == room && other.id != id {
                        other.open(id, &track);
                    }
                }
            }
            Event::EgressBitrateEstimate(str0m::bwe::BweKind::Twcc { estimate, .. }) => {
                peer.bwe_bps = Some(estimate.as_u64());
            }
            Event::MediaData(data) => self.forward(id, data),
            Event::KeyframeRequest(req) => self.keyframe_wanted(id, req),
            _ => {}
        }
    }

    /// Look at each room's levels and report a new speaker order.
    fn tick_speakers(&mut self) {
        for (room, speakers) in &mut self.speakers {
            if let Some(order) = speakers.update() {
                let _ = self.reports.send(Report::Speakers { room: *room, order });
            }
        }
    }
}
