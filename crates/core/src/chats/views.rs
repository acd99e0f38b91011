//! Rendering rows into the client API's shapes, from one viewer's point of view.

use super::Chats;
use super::{ChatKind, ChatRow, MemberRow, MessageRow, ReceiptStatus};
use crate::accounts::{AccountRow, Relation};
use crate::error::Result;
use crate::ids::wamid;
use std::collections::HashMap;
use wasla_types::client::{Chat, Member, Message};

impl Chats {
    /// A message as sent on the wire.
    pub fn message_view(&self, row: &MessageRow, status: Option<ReceiptStatus>) -> Message {
        Message {
            id: wamid(row.id),
            chat_id: row.chat_id.to_string(),
            seq: row.seq,
            from: row.sender_wa_id.clone(),
            timestamp: row.created_at,
            content: row.content.clone(),
            context: row.context.clone(),
            forwarded: row.forwarded,
            client_id: row.client_id.clone(),
            status: status.map(|s| s.as_str().to_string()),
        }
    }

    /// Messages as one viewer sees them: their own carry the aggregate status.
    pub async fn messages_view(&self, viewer: i64, rows: &[MessageRow]) -> Result<Vec<Message>> {
        let own: Vec<i64> = rows
            .iter()
            .filter(|m| m.sender_id == viewer)
            .map(|m| m.id)
            .collect();
        let statuses = if own.is_empty() {
            HashMap::new()
        } else {
            self.store.aggregate_status(&own).await?
        };
        Ok(rows
            .iter()
            .map(|m| {
                let status = (m.sender_id == viewer)
                    .then(|| statuses.get(&m.id).copied().unwrap_or(ReceiptStatus::Sent));
                self.message_view(m, status)
            })
            .collect())
    }

    /// A chat as `viewer` sees it.
    pub async fn chat_view(&self, viewer: i64, chat: &ChatRow, me: &MemberRow) -> Result<Chat> {
        let members = self.store.members(chat.id).await?;
        let active: Vec<&MemberRow> = members.iter().filter(|m| m.active()).collect();
        let ids: Vec<i64> = members.iter().map(|m| m.account_id).collect();
        let accounts: HashMap<i64, AccountRow> = self
            .accounts
            .accounts(&ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        // Each member as the viewer may see them (their privacy settings): a direct chat
        // makes its two members contacts; a group proves they share a chat while the viewer
        // is in it.
        let known = match chat.kind {
            ChatKind::Direct => Relation::Contact,
            ChatKind::Group if me.active() => Relation::SharesChat,
            ChatKind::Group => Relation::Stranger,
        };
        let rows: Vec<&AccountRow> = accounts.values().collect();
        let views = self.accounts.profiles_in_chat(viewer, &rows, known).await?;
        let peer = match chat.kind {
            ChatKind::Direct => members
                .iter()
                .find(|m| m.account_id != viewer)
                .and_then(|m| views.get(&m.account_id))
                .cloned(),
            ChatKind::Group => None,
        };
        let max_seq = me.left_seq;
        let last = self
            .store
            .messages_before(chat.id, None, max_seq, 1)
            .await?;
        let last_message = self.messages_view(viewer, &last).await?.pop().map(Box::new);
        let unread = self
            .store
            .unread_count(chat.id, viewer, me.last_read_seq, max_seq)
            .await?;
        Ok(Chat {
            chat_id: chat.id.to_string(),
            kind: chat.kind.as_str().into(),
            subject: chat.subject.clone(),
            photo: chat.photo.map(|p| p.to_string()),
            peer,
            members: active
                .iter()
                .filter_map(|m| {
                    views.get(&m.account_id).map(|a| Member {
                        account: a.clone(),
                        role: m.role.as_str().into(),
                    })
                })
                .collect(),
            me_role: me.role.as_str().into(),
            left: !me.active(),
            last_seq: max_seq.unwrap_or(chat.last_seq),
            last_read_seq: me.last_read_seq,
            unread,
            last_message,
            created_at: chat.created_at,
        })
    }
}
