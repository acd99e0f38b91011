//! WebSocket client plumbing shared by the load generators: parsing a loopback-only target
//! URL, connecting from a chosen 127.0.0.x source address, the `hello` handshake, and the
//! cheap borrowed views of server frames the generators read.

use anyhow::{anyhow, bail, Context, Result};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use std::borrow::Cow;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// A client connection.
pub type Ws = WebSocketStream<TcpStream>;

/// How long one connect plus `hello` may take before it counts as failed.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(20);

/// A `ws://` target on the loopback network.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL as given.
    pub url: String,
    /// Where to connect.
    pub addr: SocketAddr,
}

impl Target {
    /// Parse `ws://127.x.y.z:port/path`; anything off the loopback network is refused.
    pub fn parse(url: &str) -> Result<Target> {
        let rest = url
            .strip_prefix("ws://")
            .ok_or_else(|| anyhow!("only ws:// URLs are supported: {url}"))?;
        let host = rest.split('/').next().unwrap_or_default();
        let addr: SocketAddr = host
            .parse()
            .with_context(|| format!("{url}: the host must be an IP literal with a port"))?;
        if !addr.ip().is_loopback() {
            bail!("{url}: benchmarks only send traffic to the loopback network");
        }
        Ok(Target {
            url: url.to_string(),
            addr,
        })
    }
}

/// Parse a comma-separated list of loopback source addresses.
pub fn parse_sources(list: &str) -> Result<Vec<IpAddr>> {
    let mut out = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let ip: IpAddr = s
            .parse()
            .with_context(|| format!("bad source address {s}"))?;
        if !ip.is_loopback() {
            bail!("source address {ip} is not on the loopback network");
        }
        out.push(ip);
    }
    if out.is_empty() {
        out.push(IpAddr::from([127, 0, 0, 1]));
    }
    Ok(out)
}

/// Client-side buffers: small, so tens of thousands of idle clients fit in one process.
fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(16 << 10)
        .write_buffer_size(0)
}

/// Connect from `source` (an ephemeral port on that address) and upgrade.
pub async fn connect(target: &Target, source: IpAddr) -> Result<Ws> {
    let sock = match target.addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    sock.bind(SocketAddr::new(source, 0))
        .with_context(|| format!("bind {source}"))?;
    let stream = sock.connect(target.addr).await.context("connect")?;
    stream.set_nodelay(true)?;
    let (ws, _) =
        tokio_tungstenite::client_async_with_config(target.url.as_str(), stream, Some(config()))
            .await
            .context("websocket upgrade")?;
    Ok(ws)
}

/// Connect, send `hello` and wait for `ready`; returns the socket and the ready's `last_seq`.
/// Frames before `ready` other than errors are skipped; an error frame fails the handshake.
pub async fn open(target: &Target, source: IpAddr, hello: String) -> Result<(Ws, i64)> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        let mut ws = connect(target, source).await?;
        ws.send(Message::Text(hello.into())).await?;
        while let Some(msg) = ws.next().await {
            if let Message::Text(text) = msg? {
                let frame: Frame = serde_json::from_str(text.as_str())?;
                match frame.kind {
                    "ready" => return Ok((ws, frame.last_seq)),
                    "error" => bail!("hello refused: {}", text.as_str()),
                    _ => {}
                }
            }
        }
        bail!("closed before ready")
    })
    .await
    .map_err(|_| anyhow!("handshake timed out"))?
}

/// A Wasla `hello`. `after` is the last processed event seq.
pub fn hello_frame(token: &str, after: i64) -> String {
    serde_json::json!({"op": "hello", "token": token, "after": after}).to_string()
}

/// The fields of a server frame the generators look at; everything else is skipped.
#[derive(Debug, Deserialize)]
pub struct Frame<'a> {
    /// `ready`, `event`, `ack`, `error`, `pong`, …
    #[serde(rename = "type", borrow)]
    pub kind: &'a str,
    /// Newest event seq (`ready`).
    #[serde(default)]
    pub last_seq: i64,
    /// The event (`event`).
    #[serde(default, borrow)]
    pub event: Option<EventView<'a>>,
    /// Set on failed acks and error frames.
    #[serde(default)]
    pub error: Option<serde::de::IgnoredAny>,
}

/// The fields of an event the generators look at.
#[derive(Debug, Deserialize)]
pub struct EventView<'a> {
    /// `message`, `status`, …
    #[serde(borrow)]
    pub kind: &'a str,
    /// The message (`message` events).
    #[serde(default, borrow)]
    pub message: Option<MessageView<'a>>,
}

/// The fields of a message the generators look at.
#[derive(Debug, Deserialize)]
pub struct MessageView<'a> {
    /// The wamid.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The chat.
    #[serde(borrow)]
    pub chat_id: Cow<'a, str>,
    /// Sender's wa_id.
    #[serde(borrow)]
    pub from: Cow<'a, str>,
    /// Position in the chat (what a `read` up to this message names).
    #[serde(default)]
    pub seq: i64,
    /// Text content.
    #[serde(default, borrow)]
    pub text: Option<TextView<'a>>,
}

/// A text body.
#[derive(Debug, Deserialize)]
pub struct TextView<'a> {
    /// The body.
    #[serde(borrow)]
    pub body: Cow<'a, str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_loopback_targets() {
        assert!(Target::parse("ws://127.0.0.1:8080/client/v1/ws").is_ok());
        assert!(Target::parse("ws://10.0.0.1:8080/ws").is_err());
        assert!(Target::parse("ws://example.com:80/ws").is_err());
        assert!(parse_sources("127.0.0.2, 127.0.0.3").unwrap().len() == 2);
        assert!(parse_sources("192.168.1.1").is_err());
    }

    #[test]
    fn reads_a_wasla_event() {
        let text = r#"{"type":"event","seq":7,"event":{"kind":"message","message":{"id":"wamid.AB+/","chat_id":"9","seq":3,"from":"1201","timestamp":1,"type":"text","text":{"body":"x 1 2"},"forwarded":false,"client_id":null}}}"#;
        let f: Frame = serde_json::from_str(text).unwrap();
        assert_eq!(f.kind, "event");
        let m = f.event.unwrap().message.unwrap();
        assert_eq!(m.id, "wamid.AB+/");
        assert_eq!(m.text.unwrap().body, "x 1 2");
    }
}
