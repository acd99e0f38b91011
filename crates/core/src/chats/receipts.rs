//! Receipts and reads coming back from a reader's devices: `delivered` for messages a device
//! has, `read` up to a position in the chat. They move forward in the store's group commit,
//! and the resulting status events are published to the senders; the delivery worker is woken
//! when a business's message got a status.

use super::Chats;
use super::{EventKind, ReceiptStatus, ReceiptUpdate};
use crate::accounts::{AccountKind, AccountRow, EventSeq};
use crate::error::Result;
use crate::ids::parse_wamid;
use crate::metrics::Metrics;

impl Chats {
    /// A device of `reader` has these messages.
    pub async fn mark_delivered(
        &self,
        reader: &AccountRow,
        chat_id: &str,
        ids: &[String],
    ) -> Result<()> {
        let me = self.membership(reader.id, chat_id).await?;
        let message_ids: Vec<i64> = ids
            .iter()
            .filter_map(|i| parse_wamid(i))
            .take(500)
            .collect();
        if message_ids.is_empty() {
            return Ok(());
        }
        self.apply_receipts(ReceiptUpdate {
            reader_id: reader.id,
            reader_wa_id: reader.wa_id.clone(),
            chat_id: me.chat_id,
            status: ReceiptStatus::Delivered,
            message_ids,
            up_to_seq: None,
            now: self.ground.now(),
        })
        .await
    }

    /// `reader` has read the chat up to `up_to_seq` (and so everything before). The store
    /// clamps the position to the chat's last message (the reader's last, if they left).
    pub async fn mark_read(
        &self,
        reader: &AccountRow,
        chat_id: &str,
        up_to_seq: i64,
    ) -> Result<()> {
        let me = self.membership(reader.id, chat_id).await?;
        // A cached position is at most the current one (positions only move forward).
        if up_to_seq <= me.last_read_seq {
            return Ok(());
        }
        self.apply_receipts(ReceiptUpdate {
            reader_id: reader.id,
            reader_wa_id: reader.wa_id.clone(),
            chat_id: me.chat_id,
            status: ReceiptStatus::Read,
            message_ids: vec![],
            up_to_seq: Some(up_to_seq),
            now: self.ground.now(),
        })
        .await
    }

    async fn apply_receipts(&self, update: ReceiptUpdate) -> Result<()> {
        Metrics::inc(&self.ground.metrics.receipt_updates);
        let events = self.store.update_receipts(update).await?;
        // Receipts of a business's messages queued status webhooks in the same transaction:
        // wake the delivery worker for those only (its claim is a write).
        for ev in events.iter().filter(|e| e.kind == EventKind::Status) {
            if self
                .accounts
                .identity(ev.account_id)
                .await?
                .is_some_and(|a| a.kind == AccountKind::Business)
            {
                self.ground.outbox_ready.notify_one();
                break;
            }
        }
        for ev in events {
            let rendered = super::render_event(self, &ev).await?;
            self.publish_event(
                EventSeq {
                    account_id: ev.account_id,
                    seq: ev.seq,
                },
                Some(rendered),
            );
        }
        Ok(())
    }
}
