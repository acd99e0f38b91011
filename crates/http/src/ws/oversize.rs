//! Frames over the size limit. The client gets an error frame saying what the limit is and a
//! close with code 1009 ("message too big"), instead of a connection that just drops. Frames up
//! to [`READ_FRAME`] are read whole before the message limit refuses them, so the connection
//! is still in step and waits for the client's close (every byte it sent was read, so the
//! close reaches it); a larger frame is refused from its header, and its payload is never read.

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use std::time::Duration;
use wasla_core::Error;
use wasla_types::client::ServerFrame;

/// Largest frame read whole (a message is still limited to [`super::MAX_FRAME`]).
pub const READ_FRAME: usize = 2 * super::MAX_FRAME;
/// The close code for a message too big to process (RFC 6455 §7.4.1).
pub const MESSAGE_TOO_BIG: u16 = 1009;
/// How long the client has to answer the close.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// The limit a failed read reports, when it failed because a frame or message was too big.
pub fn too_big(e: &axum::Error) -> Option<usize> {
    let source = std::error::Error::source(e)?;
    match source.downcast_ref::<tungstenite::Error>()? {
        tungstenite::Error::Capacity(tungstenite::error::CapacityError::MessageTooLong {
            max_size,
            ..
        }) => Some(*max_size),
        _ => None,
    }
}

/// Tell the client its frame was too big and close the connection with 1009; `limit` is what
/// [`too_big`] reported.
pub async fn refuse(socket: &mut WebSocket, limit: usize) {
    let e = Error::TooLarge(format!(
        "frames are limited to {} bytes; the connection is closed",
        super::MAX_FRAME
    ));
    let frame = ServerFrame::Error {
        error: crate::error::error_body(&e),
    };
    if let Ok(text) = serde_json::to_string(&frame) {
        let _ = socket.send(WsMessage::Text(text.into())).await;
    }
    let bye = CloseFrame {
        code: MESSAGE_TOO_BIG,
        reason: "message too big".into(),
    };
    if socket.send(WsMessage::Close(Some(bye))).await.is_err() {
        return;
    }
    if limit < READ_FRAME {
        // In step: read (and drop) what the client still sends until it answers the close.
        let _ = tokio::time::timeout(CLOSE_WAIT, async {
            while let Some(Ok(msg)) = socket.recv().await {
                if matches!(msg, WsMessage::Close(_)) {
                    break;
                }
            }
        })
        .await;
    } else {
        // The rest of the frame is unread; give the client a moment to read the close first.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
