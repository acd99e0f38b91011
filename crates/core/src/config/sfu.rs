//! The `[calls.sfu]` section of the configuration: the selective forwarding unit that carries
//! group calls' media (`docs/group-calls.md`): the UDP address it listens on, the address it
//! tells browsers to reach it at and how many people fit in one call.

use serde::{Deserialize, Serialize};

/// The SFU of group calls.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SfuConfig {
    /// Run it (on by default); off, group calls are refused.
    pub enabled: bool,
    /// The UDP address every group call's media goes through.
    pub udp_listen: String,
    /// The address browsers are told to send media to (the host candidate); empty: the listen
    /// address when it is a specific one, else the host of `public_url`.
    pub public_ip: String,
    /// How many devices can be in one call at once.
    pub max_participants: u32,
    /// How many of the latest speakers' video is forwarded at full quality; the others get
    /// the thumbnail layer.
    pub last_n_speakers: u32,
}

impl Default for SfuConfig {
    fn default() -> Self {
        SfuConfig {
            enabled: true,
            udp_listen: "0.0.0.0:3480".into(),
            public_ip: String::new(),
            max_participants: 64,
            last_n_speakers: 4,
        }
    }
}

impl SfuConfig {
    /// Check the section: the address parses, the cap is at least two.
    pub fn validate(&self) -> Result<(), String> {
        if self.enabled && self.udp_listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!(
                "calls.sfu.udp_listen: {:?} is not an address with a port (e.g. \"0.0.0.0:3480\")",
                self.udp_listen
            ));
        }
        if !self.public_ip.is_empty() && self.public_ip.parse::<std::net::IpAddr>().is_err() {
            return Err(format!(
                "calls.sfu.public_ip: {:?} is not an IP address",
                self.public_ip
            ));
        }
        if self.max_participants < 2 {
            return Err("calls.sfu.max_participants must be at least 2".into());
        }
        Ok(())
    }
}
