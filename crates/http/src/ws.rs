//! The WebSocket gateway (`/client/v1/ws`): authenticates with a `hello` frame, replays the
//! account's stored events after the device's cursor, then forwards live ones in seq order with
//! no gaps and no repeats (a gap or a lagging subscription is filled from the store). Also
//! carries sends with acks, receipts, typing and presence.

use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamMap;
use wasla_core::bus::{BusMessage, Topic};
use wasla_core::model::AccountRow;
use wasla_core::{Error, Wasla};
use wasla_types::client::{ClientFrame, Event, ServerFrame};

/// Frames larger than this are refused.
const MAX_FRAME: usize = 256 << 10;
/// A connection that says nothing for this long is closed (clients ping every 25 s).
const IDLE: Duration = Duration::from_secs(75);
/// Events replayed per store read.
const REPLAY_PAGE: i64 = 500;
/// Most presence subscriptions per connection.
const MAX_PRESENCE: usize = 256;

/// Upgrade with small buffers: idle connections should cost little memory.
pub async fn upgrade(State(app): State<Arc<Wasla>>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4 << 10)
        .write_buffer_size(4 << 10)
        .max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .on_upgrade(move |socket| async move {
            if let Err(e) = Connection::run(app, socket).await {
                tracing::debug!(error = %e, "websocket closed");
            }
        })
}

struct Connection {
    app: Arc<Wasla>,
    socket: WebSocket,
    account: AccountRow,
    /// Highest event seq sent on this connection.
    cursor: i64,
}

type WsResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

impl Connection {
    async fn run(app: Arc<Wasla>, mut socket: WebSocket) -> WsResult {
        let Some((account, after)) = hello(&app, &mut socket).await? else {
            return Ok(());
        };
        // Subscribe before reading the store so nothing committed in between is missed.
        let mut live = app.bus.subscribe(Topic::Account(account.id)).await;
        let last_seq = app.store.last_event_seq(account.id).await?;
        let mut conn = Connection {
            cursor: after.clamp(0, last_seq),
            app: app.clone(),
            socket,
            account,
        };
        conn.send(&ServerFrame::Ready {
            account: app.account_view(&conn.account),
            last_seq,
        })
        .await?;
        app.connected(&conn.account);
        let result = conn.serve(&mut live).await;
        app.disconnected(&conn.account).await;
        result
    }

    async fn serve(&mut self, live: &mut tokio::sync::broadcast::Receiver<BusMessage>) -> WsResult {
        self.replay().await?;
        let mut presence: StreamMap<i64, BroadcastStream<BusMessage>> = StreamMap::new();
        let app = self.app.clone();
        let stopping = app.stopping();
        tokio::pin!(stopping);
        loop {
            tokio::select! {
                _ = &mut stopping => {
                    let bye = axum::extract::ws::CloseFrame { code: 1001, reason: "server restarting".into() };
                    let _ = self.socket.send(WsMessage::Close(Some(bye))).await;
                    return Ok(());
                }
                frame = tokio::time::timeout(IDLE, self.socket.recv()) => {
                    match frame {
                        Err(_) | Ok(None) | Ok(Some(Err(_))) => return Ok(()),
                        Ok(Some(Ok(WsMessage::Text(text)))) => self.on_frame(text.as_str(), &mut presence).await?,
                        Ok(Some(Ok(WsMessage::Close(_)))) => return Ok(()),
                        Ok(Some(Ok(_))) => {}
                    }
                }
                msg = live.recv() => match msg {
                    Ok(BusMessage::Event { seq, event }) => self.on_event(seq, event.as_deref()).await?,
                    Ok(BusMessage::Typing { chat_id, wa_id, state }) => {
                        self.send(&ServerFrame::Typing { chat_id, wa_id, state }).await?
                    }
                    Ok(BusMessage::Presence { .. }) => {}
                    Err(RecvError::Lagged(_)) => self.replay().await?,
                    Err(RecvError::Closed) => return Ok(()),
                },
                Some((_, msg)) = presence.next(), if !presence.is_empty() => {
                    if let Ok(BusMessage::Presence { wa_id, online, last_seen }) = msg {
                        self.send(&ServerFrame::Presence { wa_id, online, last_seen }).await?;
                    }
                }
            }
        }
    }

    /// Send a live event, or fill a gap from the store first.
    async fn on_event(&mut self, seq: i64, event: Option<&Event>) -> WsResult {
        if seq <= self.cursor {
            return Ok(());
        }
        match event {
            Some(ev) if seq == self.cursor + 1 => {
                self.send(&ServerFrame::Event {
                    seq,
                    event: ev.clone(),
                })
                .await?;
                self.cursor = seq;
                Ok(())
            }
            _ => self.replay().await,
        }
    }

    /// Send every stored event after the cursor.
    async fn replay(&mut self) -> WsResult {
        loop {
            let page = self
                .app
                .events_after(self.account.id, self.cursor, REPLAY_PAGE)
                .await?;
            let n = page.len() as i64;
            for (seq, event) in page {
                self.send(&ServerFrame::Event { seq, event }).await?;
                self.cursor = seq;
            }
            if n < REPLAY_PAGE {
                return Ok(());
            }
        }
    }

    async fn on_frame(
        &mut self,
        text: &str,
        presence: &mut StreamMap<i64, BroadcastStream<BusMessage>>,
    ) -> WsResult {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => return self.error(Error::bad(format!("bad frame: {e}"))).await,
        };
        let app = self.app.clone();
        let me = &self.account;
        let outcome = match frame {
            ClientFrame::Hello { .. } => Err(Error::bad("already authenticated")),
            ClientFrame::Ping => return self.send(&ServerFrame::Pong).await,
            ClientFrame::Send {
                reference,
                chat_id,
                message,
            } => {
                let ack = match app.send(me, &chat_id, message).await {
                    Ok(m) => ServerFrame::Ack {
                        reference,
                        message: Some(Box::new(m)),
                        error: None,
                    },
                    Err(e) => ServerFrame::Ack {
                        reference,
                        message: None,
                        error: Some(crate::error::error_body(&e)),
                    },
                };
                return self.send(&ack).await;
            }
            ClientFrame::Receipt {
                chat_id,
                status,
                ids,
            } if status == "delivered" => app.mark_delivered(me, &chat_id, &ids).await,
            ClientFrame::Receipt { .. } => Err(Error::bad(
                "receipt status must be delivered; use read for reads",
            )),
            ClientFrame::Read { chat_id, up_to_seq } => {
                app.mark_read(me, &chat_id, up_to_seq).await
            }
            ClientFrame::Typing { chat_id, state } => app.typing(me, &chat_id, &state).await,
            ClientFrame::Presence { wa_ids } => return self.follow(wa_ids, presence).await,
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(e) => self.error(e).await,
        }
    }

    /// Replace the presence subscriptions and report each account's current state.
    async fn follow(
        &mut self,
        wa_ids: Vec<String>,
        presence: &mut StreamMap<i64, BroadcastStream<BusMessage>>,
    ) -> WsResult {
        presence.clear();
        for wa_id in wa_ids.into_iter().take(MAX_PRESENCE) {
            let Ok(Some(acc)) = self.app.store.account_by_wa_id(&wa_id).await else {
                continue;
            };
            let rx = self.app.bus.subscribe(Topic::Presence(acc.id)).await;
            presence.insert(acc.id, BroadcastStream::new(rx));
            let online = self.app.presence.is_online(acc.id);
            self.send(&ServerFrame::Presence {
                wa_id,
                online,
                last_seen: if online { None } else { acc.last_seen },
            })
            .await?;
        }
        Ok(())
    }

    async fn error(&mut self, e: Error) -> WsResult {
        self.send(&ServerFrame::Error {
            error: crate::error::error_body(&e),
        })
        .await
    }

    async fn send(&mut self, frame: &ServerFrame) -> WsResult {
        let text = serde_json::to_string(frame)?;
        self.socket.send(WsMessage::Text(text.into())).await?;
        Ok(())
    }
}

/// Wait for the `hello` frame and authenticate it. `None` when the client went away or
/// failed (an error frame has been sent).
async fn hello(app: &Wasla, socket: &mut WebSocket) -> WsResult<Option<(AccountRow, i64)>> {
    let first = match tokio::time::timeout(Duration::from_secs(10), socket.recv()).await {
        Ok(Some(Ok(WsMessage::Text(t)))) => t,
        _ => return Ok(None),
    };
    let reply_error = |e: Error| ServerFrame::Error {
        error: crate::error::error_body(&e),
    };
    let outcome = match serde_json::from_str::<ClientFrame>(first.as_str()) {
        Ok(ClientFrame::Hello { token, after }) => {
            app.person_by_token(&token).await.map(|(a, _)| (a, after))
        }
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
