//! A small STUN/TURN client for the tests, written with the protocol's message codec
//! (`turn-types`): binding requests, allocations with long-term credentials (the 401
//! challenge, then a signed request with realm and nonce), permissions, send indications and
//! data indications, over UDP or TCP.

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use turn_server_proto::types::attribute::{
    Data, Lifetime, RequestedTransport, XorPeerAddress, XorRelayedAddress,
};
use turn_server_proto::types::message::{ALLOCATE, CREATE_PERMISSION, DATA, REFRESH, SEND};
use turn_server_proto::types::stun::attribute::{
    ErrorCode, Nonce, Realm, Username, XorMappedAddress,
};
use turn_server_proto::types::stun::message::{
    IntegrityAlgorithm, LongTermKeyCredentials, Message, MessageClass, MessageWriteVec, Method,
    BINDING,
};
use turn_server_proto::types::stun::prelude::{MessageWrite, MessageWriteExt};

/// How the client reaches the server.
enum Link {
    Udp(UdpSocket, SocketAddr),
    Tcp(TcpStream, Vec<u8>),
}

/// A TURN client with one user name and password.
pub struct TurnClient {
    link: Link,
    username: String,
    password: String,
    realm: String,
    nonce: String,
}

/// A refused request: its error code and reason.
pub type Refused = (u16, String);

impl TurnClient {
    /// A client over UDP.
    pub async fn udp(server: SocketAddr, username: &str, password: &str) -> TurnClient {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        TurnClient::new(Link::Udp(socket, server), username, password)
    }

    /// A client over TCP.
    pub async fn tcp(server: SocketAddr, username: &str, password: &str) -> TurnClient {
        let stream = TcpStream::connect(server).await.unwrap();
        TurnClient::new(Link::Tcp(stream, Vec::new()), username, password)
    }

    fn new(link: Link, username: &str, password: &str) -> TurnClient {
        TurnClient {
            link,
            username: username.into(),
            password: password.into(),
            realm: String::new(),
            nonce: String::new(),
        }
    }

    /// A STUN binding request: the address the server saw the client at.
    pub async fn binding(&mut self) -> SocketAddr {
        let mut msg = Message::builder_request(BINDING, MessageWriteVec::new());
        msg.add_fingerprint().unwrap();
        let reply = self.roundtrip(msg.finish()).await;
        let reply = Message::from_bytes(&reply).unwrap();
        assert!(reply.has_class(MessageClass::Success), "binding: {reply}");
        let mapped = reply.attribute::<XorMappedAddress>().unwrap();
        mapped.addr(reply.transaction_id())
    }

    /// Allocate a UDP relay: the relayed address.
    pub async fn allocate(&mut self) -> Result<SocketAddr, Refused> {
        let reply = self
            .request(ALLOCATE, |msg| {
                msg.add_attribute(&RequestedTransport::new(RequestedTransport::UDP))
                    .unwrap();
            })
            .await?;
        let reply = Message::from_bytes(&reply).unwrap();
        let relayed = reply.attribute::<XorRelayedAddress>().unwrap();
        Ok(relayed.addr(reply.transaction_id()))
    }

    /// Ask for a TCP allocation (RFC 6062).
    pub async fn allocate_tcp(&mut self) -> Result<SocketAddr, Refused> {
        let reply = self
            .request(ALLOCATE, |msg| {
                msg.add_attribute(&RequestedTransport::new(RequestedTransport::TCP))
                    .unwrap();
            })
            .await?;
        let reply = Message::from_bytes(&reply).unwrap();
        let relayed = reply.attribute::<XorRelayedAddress>().unwrap();
        Ok(relayed.addr(reply.transaction_id()))
    }

    /// Refresh the allocation (lifetime 0 ends it).
    pub async fn refresh(&mut self, lifetime: u32) -> Result<(), Refused> {
        self.request(REFRESH, |msg| {
            msg.add_attribute(&Lifetime::new(lifetime)).unwrap();
        })
        .await
        .map(|_| ())
    }

    /// Permit a peer to send to the relay (and be sent to).
    pub async fn create_permission(&mut self, peer: SocketAddr) -> Result<(), Refused> {
        self.request(CREATE_PERMISSION, |msg| {
            let tid = msg.transaction_id();
            msg.add_attribute(&XorPeerAddress::new(peer, tid)).unwrap();
        })
        .await
        .map(|_| ())
    }

    /// Send data to a peer through the relay (a send indication).
    pub async fn send_to_peer(&mut self, peer: SocketAddr, data: &[u8]) {
        let mut msg = Message::builder_indication(SEND, MessageWriteVec::new());
        let tid = msg.transaction_id();
        msg.add_attribute(&XorPeerAddress::new(peer, tid)).unwrap();
        msg.add_attribute(&Data::new(data)).unwrap();
        msg.add_fingerprint().unwrap();
        self.write(&msg.finish()).await;
    }

    /// The next data indication: who sent it through the relay, and what.
    pub async fn recv_from_peer(&mut self) -> (SocketAddr, Vec<u8>) {
        loop {
            let bytes = self.read().await;
            let Ok(msg) = Message::from_bytes(&bytes) else {
                continue;
            };
            if msg.has_method(DATA) && msg.has_class(MessageClass::Indication) {
                let peer = msg.attribute::<XorPeerAddress>().unwrap();
                let data = msg.attribute::<Data>().unwrap();
                return (peer.addr(msg.transaction_id()), data.data().to_vec());
            }
        }
    }

    /// A request with long-term credentials: first as the server's challenge asks (realm
    /// and nonce), again once for a stale nonce. The success response's bytes, or the
    /// error's code and reason.
    async fn request(
        &mut self,
        method: Method,
        add: impl Fn(&mut MessageWriteVec),
    ) -> Result<Vec<u8>, Refused> {
        let mut signed = !self.nonce.is_empty();
        for _ in 0..3 {
            let mut msg = Message::builder_request(method, MessageWriteVec::new());
            add(&mut msg);
            if signed {
                msg.add_attribute(&Username::new(&self.username).unwrap())
                    .unwrap();
                msg.add_attribute(&Realm::new(&self.realm).unwrap())
                    .unwrap();
                msg.add_attribute(&Nonce::new(&self.nonce).unwrap())
                    .unwrap();
                let key = LongTermKeyCredentials::new(
                    self.username.clone(),
                    self.password.clone(),
                    self.realm.clone(),
                );
                msg.add_message_integrity(&key.into(), IntegrityAlgorithm::Sha1)
                    .unwrap();
            }
            msg.add_fingerprint().unwrap();
            let bytes = self.roundtrip(msg.finish()).await;
            let reply = Message::from_bytes(&bytes).unwrap();
            if reply.has_class(MessageClass::Success) {
                return Ok(bytes);
            }
            let error = reply.attribute::<ErrorCode>().unwrap();
            let challenge = (
                reply.attribute::<Realm>().ok(),
                reply.attribute::<Nonce>().ok(),
            );
            let retry = matches!(error.code(), 401 | 438) && (!signed || error.code() == 438);
            match challenge {
                (Some(realm), Some(nonce)) if retry => {
                    self.realm = realm.realm().to_owned();
                    self.nonce = nonce.nonce().to_owned();
                    signed = true;
                }
                _ => return Err((error.code(), error.reason().to_owned())),
            }
        }
        Err((0, "no answer after retries".into()))
    }

    /// Send a request and wait for the response with its transaction id.
    async fn roundtrip(&mut self, request: Vec<u8>) -> Vec<u8> {
        let tid = Message::from_bytes(&request).unwrap().transaction_id();
        self.write(&request).await;
        loop {
            let bytes = self.read().await;
            let Ok(msg) = Message::from_bytes(&bytes) else {
                continue;
            };
            if msg.transaction_id() == tid && msg.is_response() {
                return bytes;
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) {
        match &mut self.link {
            Link::Udp(socket, server) => {
                socket.send_to(bytes, *server).await.unwrap();
            }
            Link::Tcp(stream, _) => stream.write_all(bytes).await.unwrap(),
        }
    }

    /// The next whole message from the server (waiting at most 10 s).
    async fn read(&mut self) -> Vec<u8> {
        tokio::time::timeout(Duration::from_secs(10), self.read_inner())
            .await
            .expect("the TURN server answers")
    }

    async fn read_inner(&mut self) -> Vec<u8> {
        match &mut self.link {
            Link::Udp(socket, _) => {
                let mut buf = vec![0u8; 65_536];
                let (n, _) = socket.recv_from(&mut buf).await.unwrap();
                buf.truncate(n);
                buf
            }
            Link::Tcp(stream, buf) => loop {
                if buf.len() >= 20 {
                    let len = 20 + u16::from_be_bytes([buf[2], buf[3]]) as usize;
                    if buf.len() >= len {
                        return buf.drain(..len).collect();
                    }
                }
                let mut chunk = [0u8; 4096];
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "the TURN server closed the connection");
                buf.extend_from_slice(&chunk[..n]);
            },
        }
    }
}
