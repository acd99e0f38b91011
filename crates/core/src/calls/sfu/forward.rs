//! Forwarding media between a room's participants: every participant's audio goes to
//! everyone else (and its RFC 6464 level to the room's speaker tracking); of each sender's
//! video, each receiver gets the one simulcast layer chosen for it (`layers.rs`), switching
//! layers at a keyframe of the new one. Keyframe requests from a receiver go back to the
//! sender, for the layer that receiver gets, at most once a second per layer.

use super::engine::Engine;
use super::layers::{available, wanted, Layer, Want};
use std::time::{Duration, Instant};
use str0m::media::{KeyframeRequest, KeyframeRequestKind, MediaData, MediaKind, Mid, Rid};

/// Least time between two keyframe requests for one layer of one track.
const KEYFRAME_EVERY: Duration = Duration::from_secs(1);

impl Engine {
    /// Forward media that participant `origin` sent.
    pub(super) fn forward(&mut self, origin: u64, data: MediaData) {
        let now = Instant::now();
        let Some(sender) = self.peers.get_mut(&origin) else {
            return;
        };
        let room = sender.room;
        let Some(track) = sender.tracks_in.iter_mut().find(|t| t.mid == data.mid) else {
            return;
        };
        let kind = track.kind;
        if let Some(rid) = data.rid {
            track.layers.insert(rid, now);
        }
        track
            .layers
            .retain(|_, seen| now.duration_since(*seen) < Duration::from_secs(2));
        let sent: Vec<(Rid, Layer)> = track
            .layers
            .keys()
            .map(|r| (*r, Layer::of_rid(r)))
            .collect();
        if kind == MediaKind::Audio {
            if let Some(level) = data.ext_vals.audio_level {
                self.speakers.entry(room).or_default().heard(origin, level);
            }
        }
        let speaker = self
            .speakers
            .get(&room)
            .is_none_or(|s| s.is_recent(origin, self.last_n));
        let mut keyframes: Vec<Option<Rid>> = Vec::new();
        for peer in self.peers.values_mut() {
            if peer.room != room || peer.id == origin {
                continue;
            }
            let tile_height = peer.tile_of(origin);
            let bwe_bps = peer.bwe_bps;
            let videos = peer.video_out();
            let Some(out) = peer.track_for(origin, data.mid) else {
                continue;
            };
            let Some(mid) = out.mid() else {
                continue;
            };
            if kind == MediaKind::Video && data.rid.is_some() {
                let want = wanted(Want {
                    tile_height,
                    speaker,
                    bwe_bps,
                    videos,
                });
                let target = available(want, sent.iter().map(|(_, l)| *l));
                out.layer.target = Some(target);
                let this = data.rid.as_ref().map(Layer::of_rid);
                if this == Some(target) && out.layer.current != Some(target) {
                    if data.is_keyframe() {
                        tracing::trace!(origin, ?target, "sfu switches layer");
                        out.layer.current = Some(target);
                    } else {
                        let rid = sent.iter().find(|(_, l)| *l == target).map(|(r, _)| *r);
                        keyframes.push(rid);
                    }
                }
                if target == Layer::Off {
                    out.layer.current = Some(Layer::Off);
                }
                if out.layer.current != this {
                    continue;
                }
            }
            write(peer, mid, &data);
        }
        if !data.contiguous && kind == MediaKind::Video {
            keyframes.push(data.rid);
        }
        for rid in keyframes {
            self.ask_keyframe(origin, data.mid, rid, KeyframeRequestKind::Pli, now);
        }
    }

    /// A receiver asked for a keyframe of a forwarded track: ask its sender.
    pub(super) fn keyframe_wanted(&mut self, receiver: u64, req: KeyframeRequest) {
        let Some(peer) = self.peers.get(&receiver) else {
            return;
        };
        let Some(out) = peer.tracks_out.iter().find(|t| t.mid() == Some(req.mid)) else {
            return;
        };
        let (origin, origin_mid, layer) = (out.origin, out.origin_mid, out.layer.current);
        let rid = self.peers.get(&origin).and_then(|p| {
            let track = p.tracks_in.iter().find(|t| t.mid == origin_mid)?;
            track
                .layers
                .keys()
                .find(|r| Some(Layer::of_rid(r)) == layer)
                .copied()
        });
        self.ask_keyframe(origin, origin_mid, rid, req.kind, Instant::now());
    }

    /// Ask `origin` for a keyframe of one layer of its track, unless asked lately.
    fn ask_keyframe(
        &mut self,
        origin: u64,
        mid: Mid,
        rid: Option<Rid>,
        kind: KeyframeRequestKind,
        now: Instant,
    ) {
        let Some(sender) = self.peers.get_mut(&origin) else {
            return;
        };
        let Some(track) = sender.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        if track
            .asked_keyframe
            .get(&rid)
            .is_some_and(|at| now.duration_since(*at) < KEYFRAME_EVERY)
        {
            return;
        }
        track.asked_keyframe.insert(rid, now);
        if let Some(mut writer) = sender.rtc.writer(mid) {
            let r = writer.request_keyframe(rid, kind);
            tracing::trace!(origin, %mid, ?rid, ok = r.is_ok(), "sfu asks keyframe");
        }
    }
}

/// Write one frame into a receiver's track; a receiver that cannot take it is cut off.
fn write(peer: &mut super::peer::Peer, mid: Mid, data: &MediaData) {
    let Some(writer) = peer.rtc.writer(mid) else {
        return;
    };
    let Some(pt) = writer.match_params(data.params) else {
        tracing::trace!(peer = peer.id, %mid, params = ?data.params, "sfu no matching codec");
        return;
    };
    let mut writer = writer;
    if let Some(level) = data.ext_vals.audio_level {
        writer = writer.audio_level(level, data.ext_vals.voice_activity.unwrap_or(false));
    }
    if writer
        .write(pt, data.network_time, data.time, data.data.clone())
        .is_err()
    {
        peer.rtc.disconnect();
    }
}
