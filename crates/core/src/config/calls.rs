//! The `[calls]` section of the configuration: the built-in STUN and TURN server (where it
//! listens, the address browsers reach it at, its relay ports, how long its credentials last
//! and which peers it may relay to) and the external ICE servers handed to clients beside or
//! instead of it (`docs/calls-network.md`).

use serde::{Deserialize, Serialize};

/// Calls: how their media gets through.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CallsConfig {
    /// The built-in STUN responder and TURN relay.
    pub turn: TurnConfig,
    /// The SFU that carries group calls (`docs/group-calls.md`).
    pub sfu: super::SfuConfig,
    /// External STUN/TURN servers given to clients too (after the built-in one, or alone when
    /// it is off).
    pub ice_servers: Vec<IceServerConfig>,
}

/// The built-in STUN and TURN server.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TurnConfig {
    /// Run it (on by default).
    pub enabled: bool,
    /// Address it listens on, for UDP and TCP alike.
    pub listen: String,
    /// The address browsers reach it at, written into ICE URLs and relayed addresses; empty:
    /// the host of `public_url` (and, for relayed addresses, the listen address when it is
    /// not 0.0.0.0).
    pub public_ip: String,
    /// Lowest UDP port of relayed addresses (0 with `relay_port_max` 0: any free port).
    pub relay_port_min: u16,
    /// Highest UDP port of relayed addresses.
    pub relay_port_max: u16,
    /// How long a credential handed to a client works, seconds.
    pub credential_ttl_secs: u64,
    /// Shared secret the credentials are made with (HMAC-SHA1, the TURN REST API's scheme);
    /// empty: derived from the operator token, so every node of a cluster agrees.
    pub secret: String,
    /// Peers it may relay to beyond public addresses (addresses or CIDR blocks); loopback,
    /// private, link-local and other special ranges are refused unless listed here.
    pub allowed_peers: Vec<String>,
    /// The realm of its long-term credentials.
    pub realm: String,
}

impl Default for TurnConfig {
    fn default() -> Self {
        TurnConfig {
            enabled: true,
            listen: "0.0.0.0:3478".into(),
            public_ip: String::new(),
            relay_port_min: 49160,
            relay_port_max: 49999,
            credential_ttl_secs: 3600,
            secret: String::new(),
            allowed_peers: Vec::new(),
            realm: "wasla".into(),
        }
    }
}

/// An external STUN or TURN server.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct IceServerConfig {
    /// Its URLs (`stun:…`, `turn:…`, `turns:…`).
    pub urls: Vec<String>,
    /// A fixed user name (with `credential`).
    pub username: String,
    /// A fixed password.
    pub credential: String,
    /// A shared secret instead (coturn's `static-auth-secret`): each client gets its own
    /// short-lived user name and password, as from the built-in server.
    pub secret: String,
}

impl CallsConfig {
    /// Check the section: addresses parse, ports make a range, URLs name a scheme.
    pub fn validate(&self) -> Result<(), String> {
        self.sfu.validate()?;
        let turn = &self.turn;
        if turn.enabled && turn.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!(
                "calls.turn.listen: {:?} is not an address with a port (e.g. \"0.0.0.0:3478\")",
                turn.listen
            ));
        }
        if !turn.public_ip.is_empty() && turn.public_ip.parse::<std::net::IpAddr>().is_err() {
            return Err(format!(
                "calls.turn.public_ip: {:?} is not an IP address",
                turn.public_ip
            ));
        }
        if turn.relay_port_min > turn.relay_port_max
            || (turn.relay_port_min == 0) != (turn.relay_port_max == 0)
        {
            return Err(format!(
                "calls.turn.relay_port_min and relay_port_max: {}-{} is not a range of ports",
                turn.relay_port_min, turn.relay_port_max
            ));
        }
        if turn.credential_ttl_secs == 0 {
            return Err("calls.turn.credential_ttl_secs must be at least 1".into());
        }
        if let Some(bad) = turn
            .allowed_peers
            .iter()
            .find(|n| crate::outbound::Network::parse(n).is_none())
        {
            return Err(format!(
                "calls.turn.allowed_peers: {bad:?} is not an address or CIDR block"
            ));
        }
        for server in &self.ice_servers {
            let bad = server.urls.iter().find(|u| {
                !["stun:", "stuns:", "turn:", "turns:"]
                    .iter()
                    .any(|scheme| u.starts_with(scheme))
            });
            if server.urls.is_empty() || bad.is_some() {
                return Err(format!(
                    "calls.ice_servers: {:?} needs urls starting with stun:, stuns:, turn: or turns:",
                    server.urls
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_named() {
        let check = |change: fn(&mut CallsConfig)| {
            let mut c = CallsConfig::default();
            change(&mut c);
            c.validate().unwrap_err()
        };
        assert!(CallsConfig::default().validate().is_ok());
        assert!(check(|c| c.turn.listen = "3478".into()).contains("calls.turn.listen"));
        assert!(check(|c| c.turn.public_ip = "turn.example.com".into()).contains("public_ip"));
        assert!(check(|c| c.turn.relay_port_min = 50_000).contains("relay_port_min"));
        assert!(check(|c| c.turn.relay_port_max = 0).contains("relay_port_min"));
        assert!(check(|c| c.turn.credential_ttl_secs = 0).contains("credential_ttl_secs"));
        assert!(check(|c| c.turn.allowed_peers = vec!["lan".into()]).contains("allowed_peers"));
        assert!(check(|c| c.ice_servers = vec![IceServerConfig {
            urls: vec!["https://turn.example.com".into()],
            ..IceServerConfig::default()
        }])
        .contains("calls.ice_servers"));
    }
}
