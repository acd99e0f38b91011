//! Connections the server makes to URLs a tenant gives: media links, webhook callbacks and
//! their verification handshake. One rule for all of them, applied at connect time: every
//! address a host name resolves to is checked, only public ones are connected to (loopback,
//! private, link-local, carrier-grade NAT, the cloud metadata address and the like are
//! refused, unless the operator allows private targets for development), an address written
//! as an IP literal is checked the same way, and so is every redirect. Failures are told back
//! without echoing what the other side answered.

use crate::error::{Error, Result};
use rand::Rng;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::{Attempt, Policy};
use reqwest::Url;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Most redirects followed where a client follows them at all.
const MAX_REDIRECTS: usize = 5;

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (b & 0xc0) == 64)
                || (a == 192 && b == 0)
                || (a == 198 && (b & 0xfe) == 18)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first & 0xffc0) == 0xfec0
                || v6
                    .to_ipv4_mapped()
                    .or_else(|| v6.to_ipv4())
                    .is_some_and(|v4| !is_public(IpAddr::V4(v4))))
        }
    }
}

/// A block of addresses: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Network {
    addr: IpAddr,
    prefix: u32,
}

impl Network {
    /// Parse `10.0.5.0/24`, `fd00::/8` or a single address.
    pub fn parse(s: &str) -> Option<Network> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u32>().ok()?)),
            None => (s.trim().parse::<IpAddr>().ok()?, None),
        };
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(Network { addr, prefix })
    }

    /// Whether `ip` is in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let shift = |bits: u32| bits.saturating_sub(self.prefix);
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let s = shift(32);
                s >= 32 || u32::from(n) >> s == u32::from(a) >> s
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let s = shift(128);
                s >= 128 || u128::from(n) >> s == u128::from(a) >> s
            }
            _ => false,
        }
    }
}

/// How the server may connect to tenants' URLs.
#[derive(Debug, Clone, Default)]
pub struct Outbound {
    /// Loopback and private targets are allowed (development only).
    pub allow_private: bool,
    /// Private networks allowed all the same.
    pub allowed: Arc<Vec<Network>>,
}

/// Resolves host names to their allowed addresses only.
struct AllowedResolver {
    rule: Outbound,
}

impl Resolve for AllowedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let rule = self.rule.clone();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> =
                all.into_iter().filter(|a| rule.allows(a.ip())).collect();
            if allowed.is_empty() {
                return Err("the host is not a public address".into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

impl Outbound {
    /// Whether `url` may be requested: http(s), and a literal address must be allowed (a
    /// host name is checked when it is resolved).
    pub fn check_url(&self, url: &Url) -> std::result::Result<(), &'static str> {
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err("only http and https URLs are allowed");
        }
        match url.host() {
            None => Err("the URL has no host"),
            Some(url::Host::Ipv4(ip)) if !self.allows(IpAddr::V4(ip)) => {
                Err("the host is not a public address")
            }
            Some(url::Host::Ipv6(ip)) if !self.allows(IpAddr::V6(ip)) => {
                Err("the host is not a public address")
            }
            Some(_) => Ok(()),
        }
    }

    /// Whether the rule lets the server connect to `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        self.allow_private || is_public(ip) || self.allowed.iter().any(|n| n.contains(ip))
    }

    /// A client for tenants' URLs: every connection goes through the address rule, and so
    /// does every redirect when `follow_redirects` is set.
    pub fn client(&self, timeout: Duration, follow_redirects: bool) -> reqwest::ClientBuilder {
        let rule = self.clone();
        let redirects = if follow_redirects {
            Policy::custom(move |attempt: Attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    attempt.error("too many redirects")
                } else if let Err(why) = rule.check_url(attempt.url()) {
                    attempt.error(why)
                } else {
                    attempt.follow()
                }
            })
        } else {
            Policy::none()
        };
        reqwest::Client::builder()
            .timeout(timeout)
            .redirect(redirects)
            .dns_resolver(Arc::new(AllowedResolver { rule: self.clone() }))
    }

    /// Check that a callback URL answers the verification handshake with `verify_token`.
    pub async fn verify_callback(
        &self,
        timeout_ms: u64,
        url: &str,
        verify_token: &str,
    ) -> Result<()> {
        let failed =
            |why: &str| Error::bad(format!("the callback URL did not pass verification: {why}"));
        let parsed = Url::parse(url).map_err(|_| failed("it is not a URL"))?;
        self.check_url(&parsed).map_err(failed)?;
        let challenge = rand::thread_rng()
            .gen_range(100_000_000u64..999_999_999)
            .to_string();
        let client = self
            .client(Duration::from_millis(timeout_ms), false)
            .build()
            .map_err(Error::internal)?;
        let resp = client
            .get(parsed)
            .query(&[
                ("hub.mode", "subscribe"),
                ("hub.challenge", challenge.as_str()),
                ("hub.verify_token", verify_token),
            ])
            .send()
            .await
            .map_err(|e| failed(&short_error(&e)))?;
        // Neither the status nor the body of the answer is echoed: only whether it passed.
        let passed = resp.status().is_success()
            && resp.text().await.is_ok_and(|body| body.trim() == challenge);
        if !passed {
            return Err(failed(
                "it did not answer 200 with hub.challenge as the body",
            ));
        }
        Ok(())
    }
}

/// A transport error, told without the URL (its query may hold tokens) or anything the other
/// side said.
pub fn short_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if is_refused_target(e) {
        "the host is not a public address".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else if e.is_redirect() {
        "a redirect was refused".into()
    } else {
        "the request failed".into()
    }
}

/// Whether the address rule refused the connection.
fn is_refused_target(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.to_string().contains("not a public address") {
            return true;
        }
        source = s.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "198.18.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn literal_addresses_and_schemes_are_checked() {
        let rule = Outbound::default();
        for bad in [
            "http://127.0.0.1/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "ftp://example.com/",
        ] {
            assert!(rule.check_url(&Url::parse(bad).unwrap()).is_err(), "{bad}");
        }
        assert!(rule
            .check_url(&Url::parse("https://example.com/hook").unwrap())
            .is_ok());
        let dev = Outbound {
            allow_private: true,
            ..Outbound::default()
        };
        assert!(dev
            .check_url(&Url::parse("http://127.0.0.1/hook").unwrap())
            .is_ok());
    }

    #[test]
    fn allowed_networks_open_only_their_blocks() {
        let rule = Outbound {
            allow_private: false,
            allowed: Arc::new(vec![
                Network::parse("10.0.5.0/24").unwrap(),
                Network::parse("127.0.0.1").unwrap(),
                Network::parse("fd00::/16").unwrap(),
            ]),
        };
        for ok in ["10.0.5.9", "127.0.0.1", "fd00::7", "93.184.216.34"] {
            assert!(rule.allows(ok.parse().unwrap()), "{ok}");
        }
        for refused in ["10.0.6.1", "127.0.0.2", "fd01::1", "169.254.169.254"] {
            assert!(!rule.allows(refused.parse().unwrap()), "{refused}");
        }
        assert_eq!(Network::parse("10.0.0.0/33"), None);
        assert_eq!(Network::parse("nonsense"), None);
        assert!(Network::parse("0.0.0.0/0")
            .unwrap()
            .contains("1.2.3.4".parse().unwrap()));
    }
}
