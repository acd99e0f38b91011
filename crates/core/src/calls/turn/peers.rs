//! Which peers the relay may reach. Public addresses are allowed; loopback, private,
//! link-local, carrier-grade NAT, multicast and the other special ranges (the same list the
//! server's outbound connections refuse) are refused unless the operator lists them in
//! `calls.turn.allowed_peers`. A relay that reached them would let anyone with a credential
//! probe the server's own network, the cloud metadata address or its loopback services.

use crate::outbound::{is_public, Network};
use std::net::IpAddr;

/// The rule for relay peers.
#[derive(Debug, Clone, Default)]
pub struct PeerPolicy {
    allowed: Vec<Network>,
}

impl PeerPolicy {
    /// Public addresses plus the listed addresses or CIDR blocks (unparsable ones are skipped:
    /// the configuration was checked when it was loaded).
    pub fn new(allowed: &[String]) -> PeerPolicy {
        PeerPolicy {
            allowed: allowed.iter().filter_map(|n| Network::parse(n)).collect(),
        }
    }

    /// Whether data may be relayed to and from `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        is_public(ip) || self.allowed.iter().any(|n| n.contains(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_peers_pass_and_private_ones_need_listing() {
        let default = PeerPolicy::new(&[]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(default.allows(ip("8.8.8.8")));
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!default.allows(ip(refused)), "{refused}");
        }
        let listed = PeerPolicy::new(&["127.0.0.1".into(), "10.0.5.0/24".into()]);
        assert!(listed.allows(ip("127.0.0.1")));
        assert!(listed.allows(ip("::ffff:127.0.0.1")));
        assert!(listed.allows(ip("10.0.5.9")));
        assert!(!listed.allows(ip("10.0.6.9")));
        assert!(!listed.allows(ip("127.0.0.2")));
    }
}
