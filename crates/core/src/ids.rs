//! Identifiers. Row ids are 63-bit, time-ordered numbers (so index keys grow at the end and
//! nodes never collide); message ids are `wamid.` + base64 of the row id, so a wamid maps back
//! to its row without a second index. Secrets (tokens) are 32 random bytes, stored as SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicI64, Ordering};

/// Custom epoch (2024-01-01T00:00:00Z) so ids stay small.
const EPOCH_MS: i64 = 1_704_067_200_000;
const SEQ_BITS: i64 = 12;
const NODE_BITS: i64 = 10;

/// Makes unique, time-ordered ids: milliseconds since 2024 | node | sequence.
#[derive(Debug)]
pub struct IdGen {
    node: i64,
    last: AtomicI64,
}

impl IdGen {
    /// A generator for node `node` (0..1024); nodes of one cluster need distinct numbers.
    pub fn new(node: u16) -> Self {
        IdGen {
            node: (node as i64) & ((1 << NODE_BITS) - 1),
            last: AtomicI64::new(0),
        }
    }

    /// The next id. Monotonic within this process even if the wall clock steps back.
    pub fn next(&self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
            - EPOCH_MS;
        let candidate_base = (now << (NODE_BITS + SEQ_BITS)) | (self.node << SEQ_BITS);
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            // Within the same millisecond (or after a clock step back) count up.
            let next = if candidate_base > prev {
                candidate_base
            } else {
                prev + 1
            };
            match self
                .last
                .compare_exchange_weak(prev, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }
}

const WAMID_TAG: &[u8; 4] = b"WSLA";

/// The wamid of a message row id.
pub fn wamid(id: i64) -> String {
    let mut bytes = Vec::with_capacity(12);
    bytes.extend_from_slice(WAMID_TAG);
    bytes.extend_from_slice(&id.to_be_bytes());
    format!("wamid.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The message row id of a wamid, if it is one of ours.
pub fn parse_wamid(wamid: &str) -> Option<i64> {
    let raw = URL_SAFE_NO_PAD.decode(wamid.strip_prefix("wamid.")?).ok()?;
    if raw.len() != 12 || &raw[..4] != WAMID_TAG {
        return None;
    }
    Some(i64::from_be_bytes(raw[4..].try_into().ok()?))
}

/// Parse a numeric-string id.
pub fn parse_id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|v| *v > 0)
}

/// A new secret token: 32 random bytes, URL-safe base64.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// Compare two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The stored form of a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_grow_and_wamids_round_trip() {
        let g = IdGen::new(3);
        let a = g.next();
        let b = g.next();
        assert!(b > a && a > 0);
        assert_eq!(parse_wamid(&wamid(a)), Some(a));
        assert_eq!(
            parse_wamid("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"),
            None
        );
        assert_eq!(parse_wamid("nonsense"), None);
        assert_ne!(new_token(), new_token());
        assert_eq!(token_hash("x").len(), 64);
    }
}
