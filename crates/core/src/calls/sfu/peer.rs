//! One participant's side of the SFU: its `str0m` peer connection (ICE-lite, one host
//! candidate on the shared UDP socket), the tracks it sends, the other participants' tracks
//! it receives and the renegotiation that adds and removes them. The server always makes the
//! offers after the first one, one at a time, so the two sides never offer at once.

use super::layers::{Layer, LayerChoice};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::media::{Direction, MediaKind, Mid, Rid};
use str0m::{Candidate, Rtc};

/// A track a participant sends to the SFU.
#[derive(Debug, Clone)]
pub(super) struct TrackIn {
    /// Its media section in the sender's connection.
    pub mid: Mid,
    /// Audio or video.
    pub kind: MediaKind,
    /// Simulcast layers seen lately, with when.
    pub layers: HashMap<Rid, Instant>,
    /// When a keyframe was last asked of it, per layer.
    pub asked_keyframe: HashMap<Option<Rid>, Instant>,
}

/// Where a forwarded track is in its negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OutState {
    /// To be added at the next offer.
    ToOpen,
    /// Offered, waiting for the answer.
    Negotiating(Mid),
    /// Negotiated: media flows.
    Open(Mid),
    /// Its sender left: to be stopped at the next offer.
    ToStop(Mid),
    /// Stop offered, waiting for the answer.
    Stopping(Mid),
}

/// Another participant's track, forwarded to this one.
#[derive(Debug, Clone)]
pub(super) struct TrackOut {
    /// The participant it comes from.
    pub origin: u64,
    /// Its media section in the sender's connection.
    pub origin_mid: Mid,
    /// Audio or video.
    pub kind: MediaKind,
    /// Negotiation state.
    pub state: OutState,
    /// The simulcast layer being forwarded and the one wanted.
    pub layer: LayerChoice,
}

impl TrackOut {
    /// The media section in this participant's connection, once offered.
    pub fn mid(&self) -> Option<Mid> {
        match self.state {
            OutState::ToOpen => None,
            OutState::Negotiating(m)
            | OutState::Open(m)
            | OutState::ToStop(m)
            | OutState::Stopping(m) => Some(m),
        }
    }
}

/// A participant in the SFU.
pub(super) struct Peer {
    /// The participant id.
    pub id: u64,
    /// The room (group call) it is in.
    pub room: u64,
    /// Its peer connection.
    pub rtc: Rtc,
    /// When it joined.
    pub joined_at: Instant,
    /// When a datagram last came from it.
    pub heard_at: Instant,
    /// ICE and DTLS are up.
    pub connected: bool,
    /// Tracks it sends.
    pub tracks_in: Vec<TrackIn>,
    /// Tracks forwarded to it.
    pub tracks_out: Vec<TrackOut>,
    /// The offer it has not answered yet.
    pub pending: Option<SdpPendingOffer>,
    /// Its latest downlink bandwidth estimate, bits per second.
    pub bwe_bps: Option<u64>,
    /// The tile height it shows each participant at; `None` until it says.
    pub tiles: Option<HashMap<u64, u32>>,
}

impl Peer {
    /// A participant whose offer is accepted; returns it with the SDP answer.
    pub fn accept(
        id: u64,
        room: u64,
        offer: SdpOffer,
        host: std::net::SocketAddr,
        crypto: Arc<str0m::crypto::CryptoProvider>,
        now: Instant,
    ) -> Result<(Peer, SdpAnswer), String> {
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .clear_codecs()
            .enable_opus(true, false)
            .enable_vp8(true)
            .set_crypto_provider(crypto)
            .enable_bwe(Some(str0m::bwe::Bitrate::kbps(1_000)))
            .build(now);
        let candidate = Candidate::host(host, "udp").map_err(|e| e.to_string())?;
        rtc.add_local_candidate(candidate);
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| format!("the offer cannot be used: {e}"))?;
        let peer = Peer {
            id,
            room,
            rtc,
            joined_at: now,
            heard_at: now,
            connected: false,
            tracks_in: Vec::new(),
            tracks_out: Vec::new(),
            pending: None,
            bwe_bps: None,
            tiles: None,
        };
        Ok((peer, answer))
    }

    /// Forward another participant's track to this one (offered at the next negotiation).
    pub fn open(&mut self, origin: u64, track: &TrackIn) {
        let known = self
            .tracks_out
            .iter()
            .any(|t| t.origin == origin && t.origin_mid == track.mid);
        if !known {
            self.tracks_out.push(TrackOut {
                origin,
                origin_mid: track.mid,
                kind: track.kind,
                state: OutState::ToOpen,
                layer: LayerChoice::default(),
            });
        }
    }

    /// Stop forwarding everything from a participant who left.
    pub fn close_from(&mut self, origin: u64) {
        self.tracks_out
            .retain(|t| !(t.origin == origin && t.state == OutState::ToOpen));
        for t in self.tracks_out.iter_mut().filter(|t| t.origin == origin) {
            t.state = match t.state {
                OutState::Negotiating(m) | OutState::Open(m) => OutState::ToStop(m),
                other => other,
            };
        }
    }

    /// Make the next offer when tracks wait to be added or stopped and none is pending.
    pub fn negotiate(&mut self) -> Option<SdpOffer> {
        if !self.connected || self.pending.is_some() {
            return None;
        }
        let mut change = self.rtc.sdp_api();
        for t in &mut self.tracks_out {
            match t.state {
                OutState::ToOpen => {
                    let stream = Some(t.origin.to_string());
                    let track = Some(format!("{}-{}", t.origin, t.origin_mid));
                    let mid = change.add_media(t.kind, Direction::SendOnly, stream, track, None);
                    t.state = OutState::Negotiating(mid);
                }
                OutState::ToStop(mid) => {
                    change.stop_media(mid);
                    t.state = OutState::Stopping(mid);
                }
                _ => {}
            }
        }
        if !change.has_changes() {
            return None;
        }
        let (offer, pending) = change.apply()?;
        self.pending = Some(pending);
        Some(offer)
    }

    /// The participant answered the pending offer.
    pub fn answered(&mut self, answer: SdpAnswer) -> Result<(), String> {
        let pending = self
            .pending
            .take()
            .ok_or("no offer is waiting for an answer")?;
        self.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .map_err(|e| format!("the answer cannot be used: {e}"))?;
        for t in &mut self.tracks_out {
            if let OutState::Negotiating(m) = t.state {
                t.state = OutState::Open(m);
            }
        }
        self.tracks_out
            .retain(|t| !matches!(t.state, OutState::Stopping(_)));
        Ok(())
    }

    /// The tile height this participant shows `origin` at: `Some(0)` when it is off screen,
    /// `None` when the participant has not said.
    pub fn tile_of(&self, origin: u64) -> Option<u32> {
        self.tiles
            .as_ref()
            .map(|t| t.get(&origin).copied().unwrap_or(0))
    }

    /// The forwarded track for media from `origin`'s `mid`, when it is open.
    pub fn track_for(&mut self, origin: u64, mid: Mid) -> Option<&mut TrackOut> {
        self.tracks_out.iter_mut().find(|t| {
            t.origin == origin && t.origin_mid == mid && matches!(t.state, OutState::Open(_))
        })
    }

    /// How many video tracks are being forwarded to this participant.
    pub fn video_out(&self) -> usize {
        self.tracks_out
            .iter()
            .filter(|t| t.kind == MediaKind::Video && t.layer.current != Some(Layer::Off))
            .count()
    }
}
