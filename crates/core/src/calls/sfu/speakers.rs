//! Who is speaking in a room, from the audio level each participant's audio packets carry
//! (RFC 6464: the level in -dBov, 0 loudest, 127 silence). Each participant's level is
//! smoothed; whoever is loudest above a threshold for a moment becomes the active speaker and
//! goes to the front of the room's speaker list, which the SFU uses to pick whose video is
//! forwarded at full quality.

use std::collections::HashMap;

/// Levels quieter than this (in -dBov) are silence.
const SPEECH_LEVEL: f32 = 50.0;
/// How much of each new level goes into the smoothed one.
const SMOOTHING: f32 = 0.2;

/// A room's speakers.
#[derive(Debug, Default)]
pub struct Speakers {
    /// Smoothed level per participant (in -dBov: lower is louder).
    levels: HashMap<u64, f32>,
    /// Participants who spoke, most recent first.
    order: Vec<u64>,
}

impl Speakers {
    /// An audio packet from `participant` carried `level` (-dBov, 0..=127).
    pub fn heard(&mut self, participant: u64, level: i8) {
        let level = f32::from(level.unsigned_abs().min(127));
        let smoothed = self.levels.entry(participant).or_insert(127.0);
        *smoothed += (level - *smoothed) * SMOOTHING;
    }

    /// A participant left.
    pub fn forget(&mut self, participant: u64) {
        self.levels.remove(&participant);
        self.order.retain(|p| *p != participant);
    }

    /// Move the loudest participant who is speaking to the front; returns the new order
    /// when it changed.
    pub fn update(&mut self) -> Option<Vec<u64>> {
        let loudest = self
            .levels
            .iter()
            .filter(|(_, level)| **level < SPEECH_LEVEL)
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)))
            .map(|(p, _)| *p)?;
        if self.order.first() == Some(&loudest) {
            return None;
        }
        self.order.retain(|p| *p != loudest);
        self.order.insert(0, loudest);
        Some(self.order.clone())
    }

    /// Whether `participant` is among the `n` latest speakers (everyone is, before anyone
    /// spoke).
    pub fn is_recent(&self, participant: u64, n: usize) -> bool {
        self.order.is_empty() || self.order.iter().take(n).any(|p| *p == participant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loudest_speaker_goes_first() {
        let mut s = Speakers::default();
        for _ in 0..30 {
            s.heard(1, -20);
            s.heard(2, -90);
        }
        assert_eq!(s.update(), Some(vec![1]));
        assert_eq!(s.update(), None);
        for _ in 0..30 {
            s.heard(1, -127);
            s.heard(2, -10);
        }
        assert_eq!(s.update(), Some(vec![2, 1]));
        assert!(s.is_recent(2, 1) && !s.is_recent(1, 1) && s.is_recent(1, 2));
    }

    #[test]
    fn silence_makes_nobody_a_speaker() {
        let mut s = Speakers::default();
        for _ in 0..30 {
            s.heard(1, 127);
        }
        assert_eq!(s.update(), None);
        assert!(s.is_recent(1, 1));
        s.forget(1);
        assert!(s.levels.is_empty());
    }
}
