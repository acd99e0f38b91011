//! The sockets of the TURN server: the client-facing UDP socket and TCP listener (one port for
//! both), each TCP connection cut into whole STUN messages and channel data frames, and the
//! relay sockets that peers send to. Each reads into the driver's queue as an [`Event`]; the
//! driver alone decides and writes.

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;

/// Frames waiting to be written to one TCP client; a client this far behind is cut off.
pub const TCP_QUEUE: usize = 256;

/// What the sockets hand the driver.
#[derive(Debug)]
pub enum Event {
    /// A datagram from a client on the UDP port.
    Udp {
        /// The client.
        from: SocketAddr,
        /// One STUN message or channel data frame.
        data: Vec<u8>,
    },
    /// A TCP client connected; frames for it go to `writer`.
    TcpOpen {
        /// The client.
        from: SocketAddr,
        /// Its outgoing queue.
        writer: mpsc::Sender<Vec<u8>>,
    },
    /// One whole frame from a TCP client.
    Tcp {
        /// The client.
        from: SocketAddr,
        /// One STUN message or channel data frame (without padding).
        data: Vec<u8>,
    },
    /// A TCP client went away.
    TcpClosed {
        /// The client.
        from: SocketAddr,
    },
    /// A datagram from a peer to a relayed address.
    Peer {
        /// The relayed address it was sent to (as clients know it).
        relayed: SocketAddr,
        /// The peer.
        from: SocketAddr,
        /// What the peer sent.
        data: Vec<u8>,
    },
}

/// Bind the UDP socket and TCP listener on one address; with port 0, on one free port that
/// both can have.
pub async fn bind(listen: SocketAddr) -> std::io::Result<(UdpSocket, TcpListener)> {
    if listen.port() != 0 {
        let udp = UdpSocket::bind(listen).await?;
        let tcp = TcpListener::bind(listen).await?;
        return Ok((udp, tcp));
    }
    let mut last = None;
    for _ in 0..32 {
        let udp = UdpSocket::bind(listen).await?;
        match TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port for UDP and TCP")))
}

/// Read client datagrams into the queue until it closes.
pub async fn read_udp(socket: Arc<UdpSocket>, events: mpsc::Sender<Event>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            // ICMP errors surface as failed reads on some systems: keep reading.
            continue;
        };
        if events
            .send(Event::Udp {
                from,
                data: buf[..n].to_vec(),
            })
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Read a relay socket's datagrams into the queue until it closes.
pub async fn read_relay(socket: Arc<UdpSocket>, relayed: SocketAddr, events: mpsc::Sender<Event>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let data = buf[..n].to_vec();
        if events
            .send(Event::Peer {
                relayed,
                from,
                data,
            })
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Accept TCP clients until aborted (which closes every connection accepted too).
pub async fn accept_tcp(listener: TcpListener, events: mpsc::Sender<Event>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, from)) = accepted else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_tcp(stream, from, events.clone()));
            }
            Some(_) = connections.join_next() => {}
        }
    }
}

async fn serve_tcp(stream: TcpStream, from: SocketAddr, events: mpsc::Sender<Event>) {
    let (mut read, mut write) = stream.into_split();
    let (writer, mut outgoing) = mpsc::channel::<Vec<u8>>(TCP_QUEUE);
    if events.send(Event::TcpOpen { from, writer }).await.is_err() {
        return;
    }
    let writing = tokio::spawn(async move {
        while let Some(frame) = outgoing.recv().await {
            if write.write_all(&frame).await.is_err() {
                break;
            }
        }
    });
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = vec![0u8; 16_384];
    'reading: loop {
        let n = match read.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        loop {
            match next_frame(&buf) {
                Frame::Incomplete => break,
                Frame::Garbage => break 'reading,
                Frame::Whole { len, padded } => {
                    let data = buf[..len].to_vec();
                    buf.drain(..padded);
                    if events.send(Event::Tcp { from, data }).await.is_err() {
                        break 'reading;
                    }
                }
            }
        }
    }
    let _ = events.send(Event::TcpClosed { from }).await;
    writing.abort();
}

/// What the start of a TCP stream holds.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// More bytes are needed.
    Incomplete,
    /// Neither a STUN message nor channel data: the stream is not TURN.
    Garbage,
    /// A frame of `len` bytes, followed by padding up to `padded`.
    Whole { len: usize, padded: usize },
}

/// Cut one frame off the start of a TCP stream: a STUN message (20-byte header with its
/// length) or channel data (4-byte header with its length, padded to 4 bytes over TCP).
fn next_frame(buf: &[u8]) -> Frame {
    if buf.len() < 4 {
        return Frame::Incomplete;
    }
    let length = u16::from_be_bytes([buf[2], buf[3]]) as usize;
    let (len, padded) = match buf[0] >> 6 {
        0 => (20 + length, 20 + length),
        // Channel numbers are 0x4000 to 0x4FFF.
        1 if buf[0] <= 0x4f => (4 + length, 4 + length.div_ceil(4) * 4),
        _ => return Frame::Garbage,
    };
    if buf.len() < padded {
        Frame::Incomplete
    } else {
        Frame::Whole { len, padded }
    }
}

/// Channel data written to a TCP client, padded to a multiple of 4 bytes (RFC 8656 §12.5).
pub fn pad_for_tcp(mut frame: Vec<u8>) -> Vec<u8> {
    if frame.first().is_some_and(|b| b >> 6 == 1) {
        frame.resize(frame.len().div_ceil(4) * 4, 0);
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_cut_by_their_headers() {
        assert_eq!(next_frame(&[0, 1]), Frame::Incomplete);
        let stun = [&[0u8, 1, 0, 4][..], &[0; 16], &[9; 4]].concat();
        assert_eq!(
            next_frame(&stun),
            Frame::Whole {
                len: 24,
                padded: 24
            }
        );
        assert_eq!(next_frame(&stun[..23]), Frame::Incomplete);
        let channel = [0x40, 0, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0];
        assert_eq!(next_frame(&channel), Frame::Whole { len: 9, padded: 12 });
        assert_eq!(next_frame(&channel[..10]), Frame::Incomplete);
        assert_eq!(next_frame(&[0x7f, 0, 0, 0]), Frame::Garbage);
        assert_eq!(next_frame(&[0xff; 24]), Frame::Garbage);
        assert_eq!(pad_for_tcp(vec![0x40, 0, 0, 1, 7]).len(), 8);
        assert_eq!(pad_for_tcp(vec![0, 1, 0, 0]).len(), 4);
    }
}
