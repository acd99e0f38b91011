//! Which simulcast layer each receiver gets of each sender's video. Browsers send three
//! layers (`q` a quarter of the size, `h` half, `f` full); the receiver gets the largest that
//! its tile needs, that its share of its bandwidth estimate carries, and that the sender is
//! sending at all. Only the latest speakers get more than the thumbnail layer; a tile that
//! is off screen gets nothing. A switch waits for a keyframe of the new layer.

use str0m::media::Rid;

/// A simulcast layer, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// Not forwarded.
    Off,
    /// Quarter size (thumbnail).
    Quarter,
    /// Half size.
    Half,
    /// Full size.
    Full,
}

impl Layer {
    /// The layer a `rid` names (browsers' usual `q`, `h`, `f`; anything else is full).
    pub fn of_rid(rid: &Rid) -> Layer {
        match &**rid {
            "q" | "l" | "0" => Layer::Quarter,
            "h" | "m" | "1" => Layer::Half,
            _ => Layer::Full,
        }
    }

    /// Bits per second a layer needs, about.
    fn cost(self) -> u64 {
        match self {
            Layer::Off => 0,
            Layer::Quarter => 150_000,
            Layer::Half => 500_000,
            Layer::Full => 1_500_000,
        }
    }

    /// The next smaller layer.
    fn smaller(self) -> Layer {
        match self {
            Layer::Full => Layer::Half,
            Layer::Half => Layer::Quarter,
            _ => Layer::Off,
        }
    }
}

/// The layer a receiver is getting of one track, and the one it should get.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayerChoice {
    /// Being forwarded now (`None` before the first keyframe).
    pub current: Option<Layer>,
    /// Wanted.
    pub target: Option<Layer>,
}

/// What one receiver knows when choosing a layer of one sender's video.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    /// The tile height the receiver shows the sender at (`Some(0)` off screen, `None` when
    /// the receiver has not said).
    pub tile_height: Option<u32>,
    /// The sender is one of the latest speakers.
    pub speaker: bool,
    /// The receiver's downlink estimate, bits per second.
    pub bwe_bps: Option<u64>,
    /// How many videos the receiver gets at once.
    pub videos: usize,
}

/// The layer to forward, before looking at which layers the sender sends.
pub fn wanted(want: Want) -> Layer {
    let by_tile = match want.tile_height {
        Some(0) => return Layer::Off,
        None => Layer::Half,
        Some(h) if h >= 360 => Layer::Full,
        Some(h) if h >= 180 => Layer::Half,
        Some(_) => Layer::Quarter,
    };
    let mut layer = if want.speaker {
        by_tile
    } else {
        by_tile.min(Layer::Quarter)
    };
    if let Some(bwe) = want.bwe_bps {
        let share = bwe / want.videos.max(1) as u64;
        while layer > Layer::Quarter && layer.cost() > share {
            layer = layer.smaller();
        }
    }
    layer
}

/// The best layer the sender sends that is no larger than `wanted` (else its smallest).
pub fn available(wanted: Layer, sent: impl IntoIterator<Item = Layer>) -> Layer {
    if wanted == Layer::Off {
        return Layer::Off;
    }
    let sent: Vec<Layer> = sent.into_iter().collect();
    sent.iter()
        .copied()
        .filter(|l| *l <= wanted)
        .max()
        .or_else(|| sent.iter().copied().min())
        .unwrap_or(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(tile: Option<u32>, speaker: bool, bwe: Option<u64>, videos: usize) -> Want {
        Want {
            tile_height: tile,
            speaker,
            bwe_bps: bwe,
            videos,
        }
    }

    #[test]
    fn large_tiles_of_speakers_get_the_full_layer() {
        assert_eq!(wanted(want(Some(720), true, None, 1)), Layer::Full);
        assert_eq!(wanted(want(Some(200), true, None, 1)), Layer::Half);
        assert_eq!(wanted(want(Some(90), true, None, 1)), Layer::Quarter);
    }

    #[test]
    fn others_get_thumbnails_and_hidden_tiles_nothing() {
        assert_eq!(wanted(want(Some(720), false, None, 1)), Layer::Quarter);
        assert_eq!(wanted(want(Some(0), true, None, 1)), Layer::Off);
    }

    #[test]
    fn bandwidth_shared_between_videos_caps_the_layer() {
        assert_eq!(
            wanted(want(Some(720), true, Some(2_000_000), 4)),
            Layer::Half
        );
        assert_eq!(
            wanted(want(Some(720), true, Some(300_000), 9)),
            Layer::Quarter
        );
    }

    #[test]
    fn only_layers_the_sender_sends_are_chosen() {
        let sent = [Layer::Quarter, Layer::Half];
        assert_eq!(available(Layer::Full, sent), Layer::Half);
        assert_eq!(available(Layer::Quarter, [Layer::Half]), Layer::Half);
        assert_eq!(available(Layer::Off, sent), Layer::Off);
    }
}
