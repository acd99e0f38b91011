//! The WebSocket gateway (`/client/v1/ws`): authenticates with a `hello` frame, replays the
//! account's stored events after the device's cursor, then forwards live ones in seq order with
//! no gaps and no repeats (a gap or a lagging subscription is filled from the store). Also
//! carries sends with acks, receipts, typing and presence (as people's privacy settings allow,
//! `presence.rs`).
//!
//! Sends, receipts, reads and typing run concurrently with the socket loop (up to
//! [`MAX_IN_FLIGHT`] per connection), so a pending commit neither stops the connection from
//! reading its next frame nor from forwarding live events. Acks carry `ref` and may complete
//! out of order; sends to one chat still commit in the order they arrived.
//!
//! Every connected device holds one socket-loop task, so the loop waits on small futures only
//! and runs each input's handler boxed: an idle connection's task is about 1.5 KB. A frame over
//! the size limit gets an error frame and close code 1009 (`oversize.rs`).

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures::{FutureExt, SinkExt, StreamExt};
use hello::hello;
use serde::Serialize;
use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamMap;
use wasla_core::accounts::AccountRow;
use wasla_core::bus::{BusMessage, Live, Topic};
use wasla_core::{Error, Wasla};
use wasla_types::client::{ClientFrame, Event, ServerFrame};
use work::{next_finished, Finished, InFlight};

mod calls;
mod group_calls;
mod hello;
mod oversize;
mod presence;
mod work;

/// Messages larger than this are refused with an error frame and close code 1009.
const MAX_FRAME: usize = 256 << 10;
/// A connection that says nothing for this long is closed (clients ping every 25 s).
const IDLE: Duration = Duration::from_secs(75);
/// Events replayed per store read.
const REPLAY_PAGE: i64 = 500;
/// Most presence subscriptions per connection.
const MAX_PRESENCE: usize = 256;
/// Most sends, receipts, reads and typing notices a connection has pending; it reads no
/// further frame until one completes.
const MAX_IN_FLIGHT: usize = 16;
/// How long a live event that arrived ahead of its predecessors waits for them (they are
/// committed and being published by other tasks) before the gap is read from the store.
const GAP_WAIT: Duration = Duration::from_millis(100);
/// Most live events held back while waiting for a gap to fill.
const MAX_HELD: usize = 64;

/// Upgrade with small buffers: idle connections should cost little memory. A request that is
/// not a WebSocket upgrade gets the client API's JSON error.
pub async fn upgrade(
    State(app): State<Arc<Wasla>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(r) => return crate::error::status_error(r.status(), &r.body_text()),
    };
    ws.read_buffer_size(4 << 10)
        .write_buffer_size(4 << 10)
        .max_message_size(MAX_FRAME)
        .max_frame_size(oversize::READ_FRAME)
        .on_upgrade(move |socket| async move {
            if let Err(e) = Connection::run(app, socket).await {
                tracing::debug!(error = %e, "websocket closed");
            }
        })
}

type WsResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
type Presences = StreamMap<i64, BroadcastStream<Live>>;

struct Connection {
    app: Arc<Wasla>,
    socket: WebSocket,
    account: Arc<AccountRow>,
    /// Highest event seq sent on this connection.
    cursor: i64,
    /// Live events that arrived ahead of a gap, by seq.
    held: BTreeMap<i64, Arc<Event>>,
    /// When to stop waiting for the gap before `held` and read it from the store.
    gap_deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Pending sends, receipts, reads and typing (absent while there are none).
    in_flight: Option<Box<InFlight>>,
    /// Frames have been queued on the socket since it was last flushed.
    unflushed: bool,
    /// This connection's device id and whether it took part in a call (`calls.rs`).
    call: calls::CallSeat,
    /// This connection's place in group calls (`group_calls.rs`).
    group_call: group_calls::GroupSeat,
}

/// `ServerFrame::Event` serialized from a borrowed event (the same JSON), so forwarding a
/// shared live event does not copy it.
#[derive(Serialize)]
#[serde(tag = "type", rename = "event")]
struct EventFrame<'a> {
    seq: i64,
    event: &'a Event,
}

/// What woke the socket loop. The loop waits on small futures only and handles each input in
/// a boxed future, so an idle connection's task holds no handler state.
enum Input {
    Stopping,
    /// A frame, or `None` when the socket closed, failed or stayed silent too long.
    Frame(Option<WsMessage>),
    /// A frame over the size limit (the limit the read reported).
    TooBig(usize),
    Finished(Finished),
    Live(Result<Live, RecvError>),
    GapDeadline,
    Presence(Live),
}

impl Connection {
    async fn run(app: Arc<Wasla>, socket: WebSocket) -> WsResult {
        let Some((mut conn, mut live)) = Box::pin(Connection::open(app, socket)).await? else {
            return Ok(());
        };
        let result = conn.serve(&mut live).await;
        Box::pin(conn.close()).await;
        result
    }

    /// Authenticate, subscribe to the account's events and send `ready`.
    async fn open(
        app: Arc<Wasla>,
        mut socket: WebSocket,
    ) -> WsResult<Option<(Connection, tokio::sync::broadcast::Receiver<Live>)>> {
        let Some((account, after)) = hello(&app, &mut socket).await? else {
            return Ok(None);
        };
        // Subscribe before reading the store so nothing committed in between is missed.
        let live = app.bus.subscribe(Topic::Account(account.id)).await;
        let last_seq = app.chats.last_event_seq(account.id).await?;
        let mut conn = Connection {
            cursor: after.clamp(0, last_seq),
            app: app.clone(),
            socket,
            account: Arc::new(account),
            held: BTreeMap::new(),
            gap_deadline: None,
            in_flight: None,
            unflushed: false,
            call: calls::CallSeat::new(&app),
            group_call: group_calls::GroupSeat::new(&app),
        };
        conn.send(&ServerFrame::Ready {
            account: app.accounts.account_view(&conn.account),
            last_seq,
        })
        .await?;
        conn.socket.flush().await?;
        conn.unflushed = false;
        app.accounts.connected(&conn.account);
        Ok(Some((conn, live)))
    }

    /// Work already handed to the writer finishes, so its events are published; then the
    /// account's presence is updated.
    async fn close(mut self) {
        self.settle().await;
        self.leave_call().await;
        self.leave_group_call().await;
        self.app.accounts.disconnected(&self.account).await;
    }

    async fn serve(&mut self, live: &mut tokio::sync::broadcast::Receiver<Live>) -> WsResult {
        Box::pin(self.replay()).await?;
        let mut presence: Presences = StreamMap::new();
        let app = self.app.clone();
        let stopping = app.stopping();
        tokio::pin!(stopping);
        let mut yielded = false;
        loop {
            // Frames are queued, not written, while inputs are ready; they go out in one write
            // when the loop would wait, so a burst (an ack and its echo, a replay) is one
            // syscall instead of one per frame.
            let ready = if self.unflushed {
                self.next_input(live, &mut presence, stopping.as_mut())
                    .now_or_never()
            } else {
                None
            };
            let input = match ready {
                Some(input) => input,
                None if self.unflushed && !yielded => {
                    // Let the tasks already queued run first: what they publish for this
                    // device (a status, the next ack) joins the same write. An idle runtime
                    // comes straight back; a busy one gathers more per write.
                    yielded = true;
                    tokio::task::yield_now().await;
                    continue;
                }
                None => {
                    if self.unflushed {
                        self.socket.flush().await?;
                        self.unflushed = false;
                    }
                    self.next_input(live, &mut presence, stopping.as_mut())
                        .await
                }
            };
            yielded = false;
            let Some(input) = input else { continue };
            if !Box::pin(self.handle(input, &mut presence)).await? {
                // What was queued before the close goes out if the socket still takes it.
                let _ = self.socket.flush().await;
                return Ok(());
            }
        }
    }

    /// Wait for the next input; `None` for one to skip (a failed presence subscription).
    async fn next_input(
        &mut self,
        live: &mut tokio::sync::broadcast::Receiver<Live>,
        presence: &mut Presences,
        stopping: Pin<&mut impl std::future::Future<Output = ()>>,
    ) -> Option<Input> {
        let room = self
            .in_flight
            .as_ref()
            .is_none_or(|f| f.len() < MAX_IN_FLIGHT);
        Some(tokio::select! {
            _ = stopping => Input::Stopping,
            frame = tokio::time::timeout(IDLE, self.socket.recv()), if room => match frame {
                Ok(Some(Err(e))) => match oversize::too_big(&e) {
                    Some(limit) => Input::TooBig(limit),
                    None => Input::Frame(None),
                },
                other => Input::Frame(other.ok().flatten().and_then(|f| f.ok())),
            },
            done = next_finished(&mut self.in_flight) => Input::Finished(done),
            msg = live.recv() => Input::Live(msg),
            () = deadline(&mut self.gap_deadline) => Input::GapDeadline,
            Some((_, msg)) = presence.next(), if !presence.is_empty() => match msg {
                Ok(msg) => Input::Presence(msg),
                Err(_) => return None,
            },
        })
    }

    /// Act on one input; `false` when the connection should close.
    async fn handle(&mut self, input: Input, presence: &mut Presences) -> WsResult<bool> {
        match input {
            Input::Stopping => {
                let bye = axum::extract::ws::CloseFrame {
                    code: 1001,
                    reason: "server restarting".into(),
                };
                let _ = self.socket.send(WsMessage::Close(Some(bye))).await;
                return Ok(false);
            }
            Input::Frame(None | Some(WsMessage::Close(_))) => return Ok(false),
            Input::TooBig(limit) => {
                oversize::refuse(&mut self.socket, limit).await;
                return Ok(false);
            }
            Input::Frame(Some(WsMessage::Text(text))) => {
                self.on_frame(text.as_str(), presence).await?
            }
            Input::Frame(Some(_)) => {}
            Input::Finished(done) => self.on_finished(done).await?,
            Input::Live(Ok(Live::Event { seq, event })) => self.on_event(seq, event).await?,
            Input::Live(Ok(Live::Other(msg))) | Input::Presence(Live::Other(msg)) => {
                self.forward_notice(&msg).await?
            }
            Input::Live(Err(RecvError::Lagged(_))) | Input::GapDeadline => self.replay().await?,
            Input::Live(Err(RecvError::Closed)) => return Ok(false),
            Input::Presence(Live::Event { .. }) => {}
        }
        Ok(true)
    }

    /// Forward a typing notice (from the account's topic) or a presence change (from a
    /// followed account's topic); other bus messages are not for devices.
    async fn forward_notice(&mut self, msg: &BusMessage) -> WsResult {
        let frame = match msg {
            BusMessage::Typing {
                chat_id,
                wa_id,
                state,
            } => ServerFrame::Typing {
                chat_id: chat_id.clone(),
                wa_id: wa_id.clone(),
                state: state.clone(),
            },
            BusMessage::Presence {
                wa_id,
                online,
                last_seen,
            } => {
                // The person may have hidden their presence since it was followed.
                if !self.presence_allowed(wa_id).await {
                    return Ok(());
                }
                ServerFrame::Presence {
                    wa_id: wa_id.clone(),
                    online: *online,
                    last_seen: *last_seen,
                }
            }
            BusMessage::Status { frame } => (**frame).clone(),
            BusMessage::Call { devices, notice } => match self.call_notice(*devices, notice) {
                Some(frame) => frame,
                None => return Ok(()),
            },
            BusMessage::GroupCall { devices, notice } => {
                match self.group_call_notice(*devices, notice) {
                    Some(frame) => frame,
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
        self.send(&frame).await
    }

    /// Send a live event, hold it until the events before it arrive, or fill a gap from the
    /// store.
    async fn on_event(&mut self, seq: i64, event: Option<Arc<Event>>) -> WsResult {
        if seq <= self.cursor {
            return Ok(());
        }
        match event {
            Some(ev) if seq == self.cursor + 1 => {
                self.send_event(seq, &ev).await?;
                self.release_held().await
            }
            Some(ev) if self.held.len() < MAX_HELD => {
                self.held.insert(seq, ev);
                if self.gap_deadline.is_none() {
                    self.gap_deadline = Some(Box::pin(tokio::time::sleep(GAP_WAIT)));
                }
                Ok(())
            }
            _ => self.replay().await,
        }
    }

    /// Send held events that now follow the cursor; drop those at or below it.
    async fn release_held(&mut self) -> WsResult {
        while let Some(entry) = self.held.first_entry() {
            let seq = *entry.key();
            if seq <= self.cursor {
                entry.remove();
            } else if seq == self.cursor + 1 {
                let ev = entry.remove();
                self.send_event(seq, &ev).await?;
            } else {
                break;
            }
        }
        if self.held.is_empty() {
            self.gap_deadline = None;
        }
        Ok(())
    }

    async fn send_event(&mut self, seq: i64, event: &Event) -> WsResult {
        let text = serde_json::to_string(&EventFrame { seq, event })?;
        self.send_text(text).await?;
        self.cursor = seq;
        Ok(())
    }

    /// Send every stored event after the cursor.
    async fn replay(&mut self) -> WsResult {
        loop {
            let page = self
                .app
                .chats
                .events_after(self.account.id, self.cursor, REPLAY_PAGE)
                .await?;
            let n = page.len() as i64;
            for (seq, event) in page {
                self.send_event(seq, &event).await?;
            }
            if n < REPLAY_PAGE {
                break;
            }
        }
        self.release_held().await
    }

    async fn on_frame(&mut self, text: &str, presence: &mut Presences) -> WsResult {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => return self.error(Error::bad(format!("bad frame: {e}"))).await,
        };
        let app = self.app.clone();
        let me = self.account.clone();
        match frame {
            ClientFrame::Hello { .. } => self.error(Error::bad("already authenticated")).await,
            ClientFrame::Ping => {
                self.call_heartbeat();
                self.send(&ServerFrame::Pong).await
            }
            ClientFrame::Call(action) => self.on_call(action).await,
            ClientFrame::GroupCall(action) => self.on_group_call(action).await,
            ClientFrame::Send {
                reference,
                chat_id,
                message,
            } => {
                self.queue_send(reference, chat_id, message);
                Ok(())
            }
            ClientFrame::Receipt {
                chat_id,
                status,
                ids,
            } if status == "delivered" => {
                self.spawn(async move { app.chats.mark_delivered(&me, &chat_id, &ids).await });
                Ok(())
            }
            ClientFrame::Receipt { .. } => {
                self.error(Error::bad(
                    "receipt status must be delivered; use read for reads",
                ))
                .await
            }
            ClientFrame::Read { chat_id, up_to_seq } => {
                self.spawn(async move { app.chats.mark_read(&me, &chat_id, up_to_seq).await });
                Ok(())
            }
            ClientFrame::Typing { chat_id, state } => {
                self.spawn(async move { app.chats.typing(&me, &chat_id, &state).await });
                Ok(())
            }
            ClientFrame::Presence { wa_ids } => self.follow(wa_ids, presence).await,
        }
    }

    async fn error(&mut self, e: Error) -> WsResult {
        self.send(&ServerFrame::Error {
            error: crate::error::error_body(&e),
        })
        .await
    }

    async fn send(&mut self, frame: &ServerFrame) -> WsResult {
        self.send_text(serde_json::to_string(frame)?).await
    }

    /// Queue a frame; the socket loop writes what is queued before it waits (see `serve`).
    async fn send_text(&mut self, text: String) -> WsResult {
        self.socket.feed(WsMessage::Text(text.into())).await?;
        self.unflushed = true;
        Ok(())
    }
}

/// Resolves when the deadline passes; never while there is none.
async fn deadline(at: &mut Option<Pin<Box<tokio::time::Sleep>>>) {
    match at {
        Some(sleep) => sleep.as_mut().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasla_types::client::Event;

    /// The size of the future an async fn returns, without calling it.
    fn future_size<A, B, F: std::future::Future>(_: impl Fn(A, B) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    #[test]
    fn an_idle_connection_task_stays_small() {
        // Every connected device holds one of these; handlers are boxed while they run.
        let size = future_size(Connection::run);
        assert!(size <= 2048, "connection task is {size} bytes");
    }

    /// The size of the future a method taking `self` and three arguments returns.
    fn method_future_size<A, B, C, D, F: std::future::Future>(
        _: impl Fn(A, B, C, D) -> F,
    ) -> usize {
        std::mem::size_of::<F>()
    }

    #[test]
    fn per_frame_work_stays_small() {
        // Each send and receipt is spawned as a task; its future is copied on the way, so a
        // large one costs memory bandwidth on every frame (rare, large branches are boxed).
        let send = method_future_size(wasla_core::chats::Chats::send);
        let delivered = method_future_size(wasla_core::chats::Chats::mark_delivered);
        assert!(send <= 3072, "send future is {send} bytes");
        assert!(delivered <= 1536, "receipt future is {delivered} bytes");
    }

    #[test]
    fn borrowed_event_frames_serialize_like_server_frames() {
        let event = Event::Read {
            chat_id: "7".into(),
            up_to_seq: 3,
        };
        let owned = serde_json::to_string(&ServerFrame::Event {
            seq: 9,
            event: event.clone(),
        })
        .unwrap();
        let borrowed = serde_json::to_string(&EventFrame {
            seq: 9,
            event: &event,
        })
        .unwrap();
        assert_eq!(owned, borrowed);
    }
}
