//! What a viewer does with an update: view it (once counts), react to it (one emoji per
//! viewer, replaceable, told live to the author and shown in the viewers list; not a chat
//! message), and reply to it. A reply is a text message through the one send path into the
//! direct chat with the author, whose context quotes the update, so both sides see the quote.
//! Only the author reads the viewers list.

use super::updates::author_of_person;
use super::{Status, StatusRow};
use crate::accounts::AccountRow;
use crate::chats::{Draft, ReceiptStatus};
use crate::error::{Error, Result};
use wasla_types::client::Message;
use wasla_types::content::{Content, MessageContext, Text};
use wasla_types::status::{StatusQuote, StatusUpdate, StatusViewer, StatusViewers};

/// Longest quoted excerpt of an update.
const EXCERPT_CHARS: usize = 100;
/// Longest reaction.
const MAX_EMOJI_CHARS: usize = 16;

impl Status {
    /// Mark an update as viewed by me (again changes nothing).
    pub async fn mark_viewed(&self, me: &AccountRow, id: &str) -> Result<()> {
        let row = self.visible(me, id).await?;
        if row.author_id == me.id {
            return Ok(());
        }
        let now = self.ground.now();
        if self.store.put_status_view(row.id, me.id, now).await? {
            self.publish_viewed(&row, viewer_of(me, now, None));
        }
        Ok(())
    }

    /// React to an update (an empty emoji takes the reaction back); returns the update.
    pub async fn react(&self, me: &AccountRow, id: &str, emoji: &str) -> Result<StatusUpdate> {
        let row = self.visible(me, id).await?;
        if row.author_id == me.id {
            return Err(Error::bad("you cannot react to your own update"));
        }
        let emoji = emoji.trim();
        if emoji.chars().count() > MAX_EMOJI_CHARS || emoji.chars().any(char::is_alphanumeric) {
            return Err(Error::bad("emoji must be one emoji, or empty to remove it"));
        }
        let reaction = Some(emoji).filter(|e| !e.is_empty());
        let now = self.ground.now();
        self.store
            .set_status_reaction(row.id, me.id, now, reaction)
            .await?;
        self.publish_viewed(&row, viewer_of(me, now, reaction.map(str::to_string)));
        self.update(me, id).await
    }

    /// Reply to an update in the direct chat with its author; returns the message sent.
    pub async fn reply(&self, me: &AccountRow, id: &str, text: &str) -> Result<Message> {
        let row = self.visible(me, id).await?;
        if row.author_id == me.id {
            return Err(Error::bad("you cannot reply to your own update"));
        }
        if text.trim().is_empty() {
            return Err(Error::bad("text must not be empty"));
        }
        let author = self
            .accounts
            .account(row.author_id)
            .await?
            .ok_or_else(|| Error::not_found("status update not found"))?;
        let chat = self.chats.direct_chat_with(me, &author).await?;
        let members = self.chats.members(chat.id).await?;
        let mut draft = Draft::of(Content::Text {
            text: Text {
                body: text.to_string(),
                preview_url: None,
            },
        });
        draft.context = Some(MessageContext {
            status: Some(Box::new(quote_of(&row, &author.wa_id))),
            ..Default::default()
        });
        let msg = self
            .chats
            .commit_content(me, chat.id, &members, draft)
            .await?;
        Ok(self.chats.message_view(&msg, Some(ReceiptStatus::Sent)))
    }

    /// Who viewed my update, most recent first.
    pub async fn viewers(&self, me: &AccountRow, id: &str) -> Result<StatusViewers> {
        let row = self.visible(me, id).await?;
        if row.author_id != me.id || row.waba_id.is_some() {
            return Err(Error::not_found("status update not found"));
        }
        self.viewers_of(&row).await
    }

    /// The viewers of an update.
    pub(super) async fn viewers_of(&self, row: &StatusRow) -> Result<StatusViewers> {
        let views = self.store.views_of(row.id).await?;
        let ids: Vec<i64> = views.iter().map(|v| v.viewer_id).collect();
        let people: std::collections::HashMap<i64, AccountRow> = self
            .accounts
            .accounts(&ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        Ok(StatusViewers {
            viewers: views
                .into_iter()
                .filter_map(|v| {
                    let p = people.get(&v.viewer_id)?;
                    Some(viewer_of(p, v.viewed_at, v.reaction))
                })
                .collect(),
        })
    }
}

fn viewer_of(a: &AccountRow, at: i64, reaction: Option<String>) -> StatusViewer {
    let who = author_of_person(a);
    StatusViewer {
        wa_id: who.wa_id,
        name: who.name,
        viewed_at: at,
        reaction,
    }
}

/// The quote a reply carries: the update's id, type, a text excerpt and its thumbnail.
fn quote_of(row: &StatusRow, author: &str) -> StatusQuote {
    let excerpt: String = row.body.chars().take(EXCERPT_CHARS).collect();
    StatusQuote {
        id: row.id.to_string(),
        kind: row.kind.clone(),
        author: author.to_string(),
        excerpt: Some(excerpt).filter(|e| !e.is_empty()),
        thumbnail_url: row
            .mime_type
            .as_ref()
            .map(|_| format!("{}/{}/thumbnail", super::updates::CLIENT_BASE, row.id)),
        background: row.background.clone(),
    }
}
