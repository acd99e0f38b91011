//! The first frame of a connection: `{"op":"hello","token":…,"after":…}` authenticates it;
//! anything else, or a bad token, gets an error frame and a close (an oversized first frame
//! gets close code 1009, `oversize.rs`).

use super::{oversize, WsResult};
use axum::extract::ws::{Message as WsMessage, WebSocket};
use std::time::Duration;
use wasla_core::accounts::AccountRow;
use wasla_core::{Error, Wasla};
use wasla_types::client::{ClientFrame, ServerFrame};

/// Wait for the `hello` frame and authenticate it. `None` when the client went away or
/// failed (an error frame has been sent).
pub(super) async fn hello(
    app: &Wasla,
    socket: &mut WebSocket,
) -> WsResult<Option<(AccountRow, i64)>> {
    let first = match tokio::time::timeout(Duration::from_secs(10), socket.recv()).await {
        Ok(Some(Ok(WsMessage::Text(t)))) => t,
        Ok(Some(Err(e))) => {
            if let Some(limit) = oversize::too_big(&e) {
                oversize::refuse(socket, limit).await;
            }
            return Ok(None);
        }
        _ => return Ok(None),
    };
    let reply_error = |e: Error| ServerFrame::Error {
        error: crate::error::error_body(&e),
    };
    let outcome = match serde_json::from_str::<ClientFrame>(first.as_str()) {
        Ok(ClientFrame::Hello { token, after }) => app
            .accounts
            .person_by_token(&token)
            .await
            .map(|(a, _)| (a, after)),
        _ => Err(Error::bad(
            "the first frame must be {\"op\":\"hello\",\"token\":…}",
        )),
    };
    match outcome {
        Ok(ok) => Ok(Some(ok)),
        Err(e) => {
            let text = serde_json::to_string(&reply_error(e))?;
            socket.send(WsMessage::Text(text.into())).await?;
            let _ = socket.send(WsMessage::Close(None)).await;
            Ok(None)
        }
    }
}
