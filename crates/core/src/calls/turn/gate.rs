//! The gate in front of the TURN protocol: every STUN request a client sends is looked at
//! before the protocol sees it. A request naming a user is checked against the credential
//! rule (well formed, not expired on the injected clock); once the message's integrity proves
//! the password, the protocol is told the user and checks the rest (nonce, allocation)
//! itself. A malformed user name, and an expired one asking for a new allocation, are
//! answered 401 at once. An allocation made in time may still be refreshed (and given
//! permissions) after its credential expired, so a call in progress does not lose its relay;
//! the protocol takes those requests only from the client that owns the allocation. A signed
//! request asking for a permission, a channel or a connection to a peer the policy refuses is
//! answered 403, and one asking for a TCP allocation (RFC 6062) 442: Wasla relays UDP, over
//! UDP or TCP from the client. STUN binding requests are answered here too
//! (`turn-server-proto` 0.7 addresses its own binding answers to the server's address
//! instead of the client's).

use super::credentials::{Credentials, Refusal};
use super::peers::PeerPolicy;
use std::net::SocketAddr;
use turn_server_proto::types::attribute::{RequestedTransport, XorPeerAddress};
use turn_server_proto::types::message::{ALLOCATE, CHANNEL_BIND, CONNECT, CREATE_PERMISSION};
use turn_server_proto::types::stun::attribute::{ErrorCode, Username, XorMappedAddress};
use turn_server_proto::types::stun::message::{
    IntegrityAlgorithm, LongTermKeyCredentials, Message, MessageClass, MessageWriteVec, BINDING,
};
use turn_server_proto::types::stun::prelude::{MessageWrite, MessageWriteExt};

/// What to do with what a client sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Hand it to the protocol, after registering this user name and password with it.
    Pass(Option<(String, String)>),
    /// Send this answer back instead; the protocol never sees the request.
    Answer(Vec<u8>),
}

/// Looks at client requests before the protocol does.
#[derive(Debug, Clone)]
pub struct Gate {
    credentials: Credentials,
    peers: PeerPolicy,
    realm: String,
}

impl Gate {
    /// A gate with this credential rule, peer policy and realm.
    pub fn new(credentials: Credentials, peers: PeerPolicy, realm: String) -> Gate {
        Gate {
            credentials,
            peers,
            realm,
        }
    }

    /// The peer policy.
    pub fn peers(&self) -> &PeerPolicy {
        &self.peers
    }

    /// Judge one message (a whole STUN message or channel data) a client at `from` sent at
    /// `now_ms`.
    pub fn inspect(&self, data: &[u8], from: SocketAddr, now_ms: i64) -> Verdict {
        // Channel data, indications and responses go straight on: the protocol checks them
        // against what it set up after authenticated requests.
        let Ok(msg) = Message::from_bytes(data) else {
            return Verdict::Pass(None);
        };
        if !msg.has_class(MessageClass::Request) {
            return Verdict::Pass(None);
        }
        if msg.has_method(BINDING) {
            return Verdict::Answer(mapped_address(&msg, from));
        }
        // Without a user name the protocol answers 401 with its realm and nonce.
        let Ok(username) = msg.attribute::<Username>() else {
            return Verdict::Pass(None);
        };
        let name = username.username().to_owned();
        let password = match self.credentials.check(&name, now_ms) {
            Ok(password) => password,
            Err(Refusal::Expired) if !msg.has_method(ALLOCATE) => self.credentials.password(&name),
            Err(refusal) => {
                let reason = match refusal {
                    Refusal::Expired => "Credentials expired",
                    Refusal::Malformed => "Unknown user",
                };
                return Verdict::Answer(answer(&msg, ErrorCode::UNAUTHORIZED, reason, None));
            }
        };
        let key = LongTermKeyCredentials::new(name.clone(), password.clone(), self.realm.clone());
        // Only a request that proves the credential makes the protocol learn its user (so
        // made-up names cannot fill its memory) or gets a policy answer; anything else is the
        // protocol's to refuse, as from an unknown user.
        if msg.validate_integrity(&key.clone().into()).is_err() {
            return Verdict::Pass(None);
        }
        if let Some(code) = self.policy_refusal(&msg) {
            let reason = match code {
                ErrorCode::FORBIDDEN => "Peer address not allowed",
                _ => "Only UDP relays are offered",
            };
            return Verdict::Answer(answer(&msg, code, reason, Some(&key)));
        }
        Verdict::Pass(Some((name, password)))
    }

    fn policy_refusal(&self, msg: &Message<'_>) -> Option<u16> {
        let method = msg.method();
        if method == ALLOCATE {
            let transport = msg.attribute::<RequestedTransport>().ok()?;
            return (transport.protocol() != RequestedTransport::UDP)
                .then_some(ErrorCode::UNSUPPORTED_TRANSPORT_PROTOCOL);
        }
        if method == CREATE_PERMISSION || method == CHANNEL_BIND || method == CONNECT {
            let refused = (0..)
                .map_while(|n| msg.nth_attribute::<XorPeerAddress>(n).ok())
                .any(|peer| !self.peers.allows(peer.addr(msg.transaction_id()).ip()));
            return refused.then_some(ErrorCode::FORBIDDEN);
        }
        None
    }
}

/// The answer to a binding request: the address the client was seen at.
fn mapped_address(msg: &Message<'_>, from: SocketAddr) -> Vec<u8> {
    let mut out = Message::builder_success(msg, MessageWriteVec::with_capacity(64));
    let _ = out.add_attribute(&XorMappedAddress::new(from, msg.transaction_id()));
    let _ = out.add_fingerprint();
    out.finish()
}

/// An error response to `msg`, signed when the request proved `key`.
fn answer(
    msg: &Message<'_>,
    code: u16,
    reason: &str,
    key: Option<&LongTermKeyCredentials>,
) -> Vec<u8> {
    let mut out = Message::builder_error(msg, MessageWriteVec::with_capacity(128));
    if let Ok(error) = ErrorCode::builder(code).reason(reason).build() {
        let _ = out.add_attribute(&error);
    }
    if let Some(key) = key {
        let _ = out.add_message_integrity(&key.clone().into(), IntegrityAlgorithm::Sha1);
    }
    let _ = out.add_fingerprint();
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use turn_server_proto::types::message::REFRESH;

    fn gate() -> Gate {
        Gate::new(Credentials::new("s"), PeerPolicy::new(&[]), "wasla".into())
    }

    /// A signed request of `method` as `user`, with `peer` as its peer address if given.
    fn request(
        method: turn_server_proto::types::stun::message::Method,
        user: &str,
        password: &str,
        peer: Option<SocketAddr>,
    ) -> Vec<u8> {
        let mut msg = Message::builder_request(method, MessageWriteVec::new());
        if let Some(peer) = peer {
            let tid = msg.transaction_id();
            msg.add_attribute(&XorPeerAddress::new(peer, tid)).unwrap();
        }
        msg.add_attribute(&Username::new(user).unwrap()).unwrap();
        let key = LongTermKeyCredentials::new(user.into(), password.into(), "wasla".into());
        msg.add_message_integrity(&key.into(), IntegrityAlgorithm::Sha1)
            .unwrap();
        msg.finish()
    }

    fn error_code(answer: &Verdict) -> u16 {
        let Verdict::Answer(bytes) = answer else {
            panic!("{answer:?} is no answer");
        };
        let msg = Message::from_bytes(bytes).unwrap();
        msg.attribute::<ErrorCode>().unwrap().code()
    }

    #[test]
    fn only_proven_users_reach_the_protocol() {
        let g = gate();
        let now = 1_700_000_000_000;
        let from: SocketAddr = "198.51.100.7:5000".parse().unwrap();
        let good = g.credentials.issue("7", now, 60);
        let signed = request(ALLOCATE, &good.username, &good.password, None);
        assert_eq!(
            g.inspect(&signed, from, now),
            Verdict::Pass(Some((good.username.clone(), good.password.clone())))
        );
        // A well-formed name with a made-up password is not registered.
        let made_up = request(ALLOCATE, "9999999999:x", "guess", None);
        assert_eq!(g.inspect(&made_up, from, now), Verdict::Pass(None));
        // Expired: new allocations are refused, an existing one may be refreshed.
        let later = now + 61_000;
        assert_eq!(error_code(&g.inspect(&signed, from, later)), 401);
        let refresh = request(REFRESH, &good.username, &good.password, None);
        assert!(matches!(
            g.inspect(&refresh, from, later),
            Verdict::Pass(Some(_))
        ));
        // A permission for a private peer is refused.
        let private = Some("10.0.0.1:9".parse().unwrap());
        let permission = request(CREATE_PERMISSION, &good.username, &good.password, private);
        assert_eq!(error_code(&g.inspect(&permission, from, now)), 403);
        // A binding request is answered with the address it came from.
        let mut binding = Message::builder_request(BINDING, MessageWriteVec::new());
        binding.add_fingerprint().unwrap();
        let Verdict::Answer(answer) = g.inspect(&binding.finish(), from, now) else {
            panic!("binding not answered");
        };
        let answer = Message::from_bytes(&answer).unwrap();
        let mapped = answer.attribute::<XorMappedAddress>().unwrap();
        assert_eq!(mapped.addr(answer.transaction_id()), from);
    }
}
