//! TURN credentials in the TURN REST API's scheme (the one coturn's `use-auth-secret` reads):
//! the user name is `expiry-unix-seconds:session`, the password is
//! base64(HMAC-SHA1(secret, user name)). The server keeps no list of them: it recomputes the
//! password from the secret and refuses a user name whose expiry has passed on the injected
//! clock.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// A user name and password for one client, and when they stop working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// `expiry-unix-seconds:session`.
    pub username: String,
    /// base64(HMAC-SHA1(secret, username)).
    pub password: String,
    /// Unix seconds after which the server refuses them.
    pub expires_at: i64,
}

/// Why a user name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not `expiry:session`.
    Malformed,
    /// Its expiry has passed.
    Expired,
}

/// Makes and checks credentials with one shared secret.
#[derive(Clone)]
pub struct Credentials {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<secret>)")
    }
}

impl Credentials {
    /// Credentials made with `secret`.
    pub fn new(secret: impl Into<Vec<u8>>) -> Credentials {
        Credentials {
            secret: secret.into(),
        }
    }

    /// A credential for `session` that works until `now_ms` plus `ttl_secs`.
    pub fn issue(&self, session: &str, now_ms: i64, ttl_secs: u64) -> Credential {
        let expires_at = now_ms.div_euclid(1000) + ttl_secs.min(i64::MAX as u64 / 2) as i64;
        let username = format!("{expires_at}:{session}");
        Credential {
            password: self.password(&username),
            username,
            expires_at,
        }
    }

    /// The password of `username`.
    pub fn password(&self, username: &str) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.secret).expect("HMAC takes any key");
        mac.update(username.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    /// The password of `username` if it is well formed and has not expired at `now_ms`.
    pub fn check(&self, username: &str, now_ms: i64) -> Result<String, Refusal> {
        let expiry = username
            .split_once(':')
            .and_then(|(expiry, session)| (!session.is_empty()).then_some(expiry))
            .and_then(|expiry| expiry.parse::<i64>().ok())
            .ok_or(Refusal::Malformed)?;
        if expiry.saturating_mul(1000) <= now_ms {
            return Err(Refusal::Expired);
        }
        Ok(self.password(username))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_check_until_they_expire() {
        let creds = Credentials::new("s3cret");
        let now = 1_700_000_000_000;
        let c = creds.issue("42", now, 3600);
        assert_eq!(c.username, "1700003600:42");
        assert_eq!(c.expires_at, 1_700_003_600);
        assert_eq!(creds.check(&c.username, now), Ok(c.password.clone()));
        assert_eq!(
            creds.check(&c.username, 1_700_003_600_000),
            Err(Refusal::Expired)
        );
        assert_eq!(creds.check("soon:42", now), Err(Refusal::Malformed));
        assert_eq!(creds.check("1700003600:", now), Err(Refusal::Malformed));
        // Another secret gives another password.
        assert_ne!(Credentials::new("other").password(&c.username), c.password);
    }

    #[test]
    fn password_is_base64_of_hmac_sha1() {
        // Checked against coturn's documented recipe:
        // echo -n "$user" | openssl dgst -binary -sha1 -hmac "$secret" | base64
        let creds = Credentials::new("north");
        assert_eq!(
            creds.password("1600000000:ada"),
            "GPWXvXjI66zNFwERqehTJWwp4Cg="
        );
    }
}
