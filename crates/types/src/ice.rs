//! The ICE servers a person's client uses to set up call media: the built-in STUN and TURN
//! server and any external ones the operator configured, with short-lived credentials
//! (`GET /client/v1/calls/ice-servers`, `docs/calls-network.md`).

use serde::{Deserialize, Serialize};

/// One entry of `RTCConfiguration.iceServers`, as a browser takes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IceServer {
    /// `stun:host:port`, `turn:host:port?transport=udp`, `turn:host:port?transport=tcp`, …
    pub urls: Vec<String>,
    /// TURN user name (`expiry-unix-seconds:session`); absent for STUN-only entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// TURN password for `username`; absent for STUN-only entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// `GET /client/v1/calls/ice-servers`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IceServers {
    /// The servers, the built-in one first.
    pub ice_servers: Vec<IceServer>,
    /// When the credentials stop working (Unix seconds); ask again before then.
    pub expires_at: i64,
}
