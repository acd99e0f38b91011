//! Event streams: publishing stored events on the bus and rendering them for delivery, so a
//! device that reconnects with its last seq gets exactly what it missed, in order.

use super::Chats;
use super::{EventKind, ReceiptStatus, StatusPayload, StoredEvent};
use crate::accounts::EventSeq;
use crate::bus::{BusMessage, Topic};
use crate::error::Result;
use std::sync::Arc;
use wasla_types::client::Event;

impl Chats {
    /// Announce a stored event to the account's live connections.
    pub fn publish_event(&self, at: EventSeq, event: Option<Event>) {
        self.publish_shared(at, event.map(Arc::new));
    }

    /// Announce a stored event whose rendering several accounts share.
    pub(crate) fn publish_shared(&self, at: EventSeq, event: Option<Arc<Event>>) {
        self.ground.bus.publish(
            Topic::Account(at.account_id),
            BusMessage::Event { seq: at.seq, event },
        );
    }

    /// Stored events after `after` for a device, rendered, at most `limit`.
    pub async fn events_after(
        &self,
        account_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Event)>> {
        let stored = self.store.events_after(account_id, after, limit).await?;
        let mut out = Vec::with_capacity(stored.len());
        for ev in stored {
            out.push((ev.seq, render_event(self, &ev).await?));
        }
        Ok(out)
    }
}

/// Turn a stored event into what the account's devices receive.
pub async fn render_event(w: &Chats, ev: &StoredEvent) -> Result<Event> {
    Ok(match ev.kind {
        EventKind::Message => {
            let m = ev
                .message
                .as_ref()
                .ok_or_else(|| crate::Error::internal("message event without message"))?;
            let status = (m.sender_id == ev.account_id).then_some(ReceiptStatus::Sent);
            Event::Message {
                message: w.message_view(m, status),
            }
        }
        EventKind::Status => {
            let p: StatusPayload = parse_payload(ev)?;
            Event::Status {
                chat_id: ev.chat_id.unwrap_or_default().to_string(),
                id: p.id,
                status: p.status,
                wa_id: p.wa_id,
                aggregate: p.aggregate,
                timestamp: p.timestamp,
            }
        }
        EventKind::Read => Event::Read {
            chat_id: ev.chat_id.unwrap_or_default().to_string(),
            up_to_seq: parse_payload(ev)?,
        },
        // Boxed: the chat view's future is large, and this function's future is awaited for
        // every receipt and replayed event.
        EventKind::Chat => Box::pin(render_chat(w, ev)).await?,
        EventKind::Profile => {
            let acc = w
                .accounts
                .account(ev.account_id)
                .await?
                .ok_or_else(|| crate::Error::internal("profile of a missing account"))?;
            Event::Profile {
                account: w.accounts.account_view(&acc),
            }
        }
    })
}

/// A chat event: the chat as the account sees it now.
async fn render_chat(w: &Chats, ev: &StoredEvent) -> Result<Event> {
    let chat_id = ev.chat_id.unwrap_or_default();
    let chat = w.store.chat(chat_id).await?;
    let me = w.store.member(chat_id, ev.account_id).await?;
    match (chat, me) {
        (Some(chat), Some(me)) => Ok(Event::Chat {
            chat: Box::new(w.chat_view(ev.account_id, &chat, &me).await?),
        }),
        _ => Err(crate::Error::internal("chat event for a missing chat")),
    }
}

fn parse_payload<T: serde::de::DeserializeOwned>(ev: &StoredEvent) -> Result<T> {
    serde_json::from_str(ev.payload.as_deref().unwrap_or("null")).map_err(crate::Error::internal)
}
