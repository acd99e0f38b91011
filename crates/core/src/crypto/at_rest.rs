//! At-rest keys: secrets the server must read back in the clear (an app's webhook signing
//! secret) are kept in the database sealed with XChaCha20-Poly1305. The key is derived with
//! HKDF-SHA256 from the operator's token and a label, so a copy of the database alone (a
//! backup, a stolen disk image of a PostgreSQL server) does not reveal the secrets. A sealed
//! value is `enc:v1:` followed by base64 of a random 24-byte nonce, the ciphertext and the
//! tag; the sealing binds a context string (the column and the row id) as associated data,
//! so a sealed value copied into another row does not open. Values without the prefix are
//! legacy plaintext and open as themselves, so installations from before sealing keep working
//! until the server seals them at start.

use crate::error::{Error, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;

/// The prefix of a sealed value (version 1: XChaCha20-Poly1305, HKDF-SHA256 key).
pub const SEALED_PREFIX: &str = "enc:v1:";
/// HKDF salt: names the application, so the same token used elsewhere gives another key.
const SALT: &[u8] = b"wasla at-rest keys";
/// HKDF info: names the purpose of this key.
const INFO: &[u8] = b"wasla at-rest v1: sealed columns";
/// Nonce length of XChaCha20-Poly1305.
const NONCE_LEN: usize = 24;

/// A key for sealing secrets kept in the database.
#[derive(Clone)]
pub struct AtRestKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for AtRestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AtRestKey(..)")
    }
}

impl AtRestKey {
    /// The key derived from the operator's token (the same token gives the same key, so
    /// every node of a cluster and every restart can open what another sealed).
    pub fn from_operator_token(token: &str) -> AtRestKey {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(SALT), token.as_bytes())
            .expand(INFO, &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        AtRestKey {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// Seal `plain` for the place named by `context` (for example `apps.app_secret:42`).
    pub fn seal(&self, context: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), payload)
            .expect("XChaCha20-Poly1305 seals any text that fits in memory");
        let mut raw = Vec::with_capacity(NONCE_LEN + sealed.len());
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}", STANDARD.encode(raw))
    }

    /// Open a stored value sealed for `context`; a value without the prefix is legacy
    /// plaintext and comes back as it is. Fails for a value sealed under another key (the
    /// operator token changed) or for another place, or altered.
    pub fn open(&self, context: &str, stored: &str) -> Result<String> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else {
            return Ok(stored.to_string());
        };
        let broken = || {
            Error::internal(format!(
                "cannot open the sealed {context}: it was sealed with another operator token, or altered"
            ))
        };
        let raw = STANDARD.decode(encoded).map_err(|_| broken())?;
        if raw.len() < NONCE_LEN {
            return Err(broken());
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| broken())?;
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

/// Whether a stored value is sealed (rather than legacy plaintext).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(SEALED_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens() {
        let key = AtRestKey::from_operator_token("operator");
        let sealed = key.seal("apps.app_secret:1", "s3cret");
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("s3cret"));
        assert_eq!(key.open("apps.app_secret:1", &sealed).unwrap(), "s3cret");
        // A fresh nonce every time.
        assert_ne!(sealed, key.seal("apps.app_secret:1", "s3cret"));
    }

    #[test]
    fn legacy_plaintext_opens_as_itself() {
        let key = AtRestKey::from_operator_token("operator");
        assert_eq!(key.open("apps.app_secret:1", "plain").unwrap(), "plain");
        assert!(!is_sealed("plain"));
    }

    #[test]
    fn refuses_another_key_context_or_tampering() {
        let key = AtRestKey::from_operator_token("operator");
        let sealed = key.seal("apps.app_secret:1", "s3cret");
        let other = AtRestKey::from_operator_token("another");
        assert!(other.open("apps.app_secret:1", &sealed).is_err());
        assert!(key.open("apps.app_secret:2", &sealed).is_err());
        let mut raw = STANDARD
            .decode(sealed.strip_prefix(SEALED_PREFIX).unwrap())
            .unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let altered = format!("{SEALED_PREFIX}{}", STANDARD.encode(raw));
        assert!(key.open("apps.app_secret:1", &altered).is_err());
        assert!(key.open("apps.app_secret:1", "enc:v1:!!").is_err());
        assert!(key.open("apps.app_secret:1", "enc:v1:AAAA").is_err());
    }

    #[test]
    fn debug_shows_no_key() {
        let key = AtRestKey::from_operator_token("operator");
        assert_eq!(format!("{key:?}"), "AtRestKey(..)");
    }
}
