//! The work a connection has pending: sends (acked when committed, one at a time per chat,
//! in the order they arrived), receipts, reads and typing notices, run beside the socket loop
//! and answered when they finish.
//!
//! Each piece of work runs as its own task. The socket loop polls it only between inputs, and
//! work polled that way could hold what others wait for: tokio's semaphores are fair, so a
//! pool permit granted to a future nobody polls blocks every acquire queued behind it (with
//! several connections doing this at once the pools stopped for their 30 s acquire timeout).

use super::{Connection, WsResult};
use futures::stream::FuturesUnordered;
use futures::StreamExt;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use wasla_core::accounts::AccountRow;
use wasla_core::Wasla;
use wasla_types::client::{SendMessage, ServerFrame};

type Task = Pin<Box<dyn Future<Output = Finished> + Send>>;

/// Work a connection has pending.
#[derive(Default)]
pub(super) struct InFlight {
    running: FuturesUnordered<Task>,
    /// Chats with a send running.
    sending: Vec<String>,
    /// Sends waiting for an earlier send to the same chat: (ref, chat, message).
    queued: VecDeque<(Option<String>, String, SendMessage)>,
}

impl InFlight {
    pub(super) fn len(&self) -> usize {
        self.running.len() + self.queued.len()
    }
}

/// A completed piece of work: the frame to answer with (serialized by the work itself, so the
/// socket loop holds no frame while it waits), and the chat whose send finished.
pub(super) struct Finished {
    frame: Option<String>,
    sent_to: Option<String>,
}

impl Connection {
    /// Start a send, or queue it behind the send to the same chat that is running.
    pub(super) fn queue_send(
        &mut self,
        reference: Option<String>,
        chat_id: String,
        message: SendMessage,
    ) {
        let f = self.in_flight.get_or_insert_with(Box::default);
        if f.sending.contains(&chat_id) {
            f.queued.push_back((reference, chat_id, message));
        } else {
            start_send(f, &self.app, &self.account, reference, chat_id, message);
        }
    }

    /// Run work whose only answer is an error frame when it fails.
    pub(super) fn spawn(
        &mut self,
        work: impl Future<Output = wasla_core::Result<()>> + Send + 'static,
    ) {
        let f = self.in_flight.get_or_insert_with(Box::default);
        run(f, None, async move {
            work.await.err().and_then(|e| error_frame(&e))
        });
    }

    /// Answer finished work; start the next send to the chat whose send finished.
    pub(super) async fn on_finished(&mut self, done: Finished) -> WsResult {
        if let (Some(chat), Some(f)) = (done.sent_to, self.in_flight.as_mut()) {
            f.sending.retain(|c| *c != chat);
            if let Some(i) = f.queued.iter().position(|q| q.1 == chat) {
                let (reference, chat_id, message) = f.queued.remove(i).expect("queued send");
                start_send(f, &self.app, &self.account, reference, chat_id, message);
            }
        }
        if self.in_flight.as_ref().is_some_and(|f| f.len() == 0) {
            self.in_flight = None;
        }
        match done.frame {
            Some(text) => self.send_text(text).await,
            None => Ok(()),
        }
    }

    /// Let running work finish (its answers are dropped); queued sends never started.
    pub(super) async fn settle(&mut self) {
        if let Some(mut f) = self.in_flight.take() {
            while f.running.next().await.is_some() {}
        }
    }
}

/// Start a send; its ack is the answer.
fn start_send(
    f: &mut InFlight,
    app: &Arc<Wasla>,
    me: &Arc<AccountRow>,
    reference: Option<String>,
    chat_id: String,
    message: SendMessage,
) {
    let (app, me) = (app.clone(), me.clone());
    f.sending.push(chat_id.clone());
    run(f, Some(chat_id.clone()), async move {
        let ack = match app.chats.send(&me, &chat_id, message).await {
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
        serde_json::to_string(&ack).ok()
    });
}

/// Run `work` (which yields the answer frame) as a task of its own; the connection waits on
/// its handle, which holds nothing while it is not polled. A task that panics is answered
/// with an internal error, and its chat's next send still starts.
fn run(
    f: &mut InFlight,
    sent_to: Option<String>,
    work: impl Future<Output = Option<String>> + Send + 'static,
) {
    let task = tokio::spawn(work);
    f.running.push(Box::pin(async move {
        let frame = match task.await {
            Ok(frame) => frame,
            Err(_) => error_frame(&wasla_core::Error::internal("the request failed")),
        };
        Finished { frame, sent_to }
    }));
}

fn error_frame(e: &wasla_core::Error) -> Option<String> {
    serde_json::to_string(&ServerFrame::Error {
        error: crate::error::error_body(e),
    })
    .ok()
}

/// The next finished piece of work; never resolves while there is none.
pub(super) async fn next_finished(in_flight: &mut Option<Box<InFlight>>) -> Finished {
    match in_flight {
        Some(f) if !f.running.is_empty() => match f.running.next().await {
            Some(done) => done,
            None => std::future::pending().await,
        },
        _ => std::future::pending().await,
    }
}
