//! The one send path. Every sender (a person's device, the Cloud API, automations, the server's
//! own notes) ends in [`Wasla::commit_content`]: validate, store message + receipts + events +
//! outbox in one group-committed transaction, then publish. Receipts and reads come back the
//! same way (`receipts.rs`).

use super::Chats;
use super::{Committed, MemberRow, MessageRow, NewMessage, ReceiptStatus};
use crate::accounts::{AccountKind, AccountRow, MediaKind};
use crate::bus::{BusMessage, Topic};
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::{parse_wamid, wamid};
use crate::metrics::Metrics;
use std::sync::Arc;
use wasla_types::client::{Event, Message, MessagePage, Receipt, SendMessage};
use wasla_types::content::{Content, MessageContext};

/// Longest text body.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Longest caption.
pub const MAX_CAPTION_CHARS: usize = 1024;
/// Largest history page.
const MAX_PAGE: i64 = 200;

impl Chats {
    /// A person (or business) sends into a chat they belong to.
    pub async fn send(
        &self,
        sender: &AccountRow,
        chat_id: &str,
        req: SendMessage,
    ) -> Result<Message> {
        let (chat_id, members) = self.active_members(sender.id, chat_id).await?;
        if matches!(req.content, Content::System { .. }) {
            return Err(Error::bad("system messages are written by the server"));
        }
        if let Some(cid) = &req.client_id {
            if cid.is_empty() || cid.len() > 64 {
                return Err(Error::bad("client_id must be 1 to 64 characters"));
            }
        }
        if req.referral.is_some() {
            // Rare (the first message of a chat that came from an ad): boxed, so that every
            // other send's future stays small.
            return Box::pin(self.send_referred(sender, chat_id, members, req)).await;
        }
        let msg = self
            .commit_content(sender, chat_id, &members, client_draft(req, None))
            .await?;
        Ok(self.message_view(&msg, Some(ReceiptStatus::Sent)))
    }

    /// A send carrying a `referral` token: the domain above binds it to a click-to-chat ad
    /// (never the client), and hears when the message carrying it is committed.
    async fn send_referred(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        members: Arc<[MemberRow]>,
        req: SendMessage,
    ) -> Result<Message> {
        let (Some(token), Some(rules)) = (req.referral.clone(), self.referral_rules.get()) else {
            return Err(Error::bad("referral is not accepted here"));
        };
        let referral = rules.resolve(sender, chat_id, &token).await?;
        let referral_sent = referral.is_some();
        let msg = self
            .commit_content(sender, chat_id, &members, client_draft(req, referral))
            .await?;
        if referral_sent {
            rules.committed(sender, chat_id, &msg, &token).await;
        }
        Ok(self.message_view(&msg, Some(ReceiptStatus::Sent)))
    }

    /// Validate and store content from `sender` in the chat whose memberships are `members`,
    /// then publish it. Returns the stored row (the original one when the `client_id` was sent
    /// before).
    pub(crate) async fn commit_content(
        &self,
        sender: &AccountRow,
        chat_id: i64,
        members: &[MemberRow],
        draft: Draft,
    ) -> Result<MessageRow> {
        let Draft {
            mut content,
            context,
            forwarded,
            client_id,
            callback_data,
            category,
            charges,
        } = draft;
        let active: Vec<&MemberRow> = members.iter().filter(|m| m.active()).collect();
        let media_id = self.check_content(sender.id, chat_id, &mut content).await?;
        let quoted = match &context {
            Some(c)
                if !c.message_id.is_empty()
                    || (c.referred_product.is_none()
                        && c.status.is_none()
                        && c.referral.is_none()) =>
            {
                Some(self.message_in_chat(chat_id, &c.message_id).await?)
            }
            _ => None,
        };
        super::interactive::check_structured(sender.kind, &content, quoted.as_ref())?;
        if let Some(rules) = self.content_rules.get() {
            rules
                .check(sender, &active, &mut content, context.as_ref())
                .await?;
        }
        let status_quote = context.as_ref().and_then(|c| c.status.clone());
        let referral = context.as_ref().and_then(|c| c.referral.clone());
        let referred = context.and_then(|c| c.referred_product);
        let context = match (quoted.as_ref().map(quote_of), referred) {
            (None, None) if status_quote.is_some() => Some(MessageContext {
                status: status_quote,
                ..Default::default()
            }),
            (Some(q), referred) => Some(MessageContext {
                referred_product: referred,
                ..q
            }),
            (None, Some(referred)) => Some(MessageContext {
                referred_product: Some(referred),
                ..Default::default()
            }),
            (None, None) => None,
        };
        let context = match (context, referral) {
            (context, None) => context,
            (Some(c), Some(r)) => Some(MessageContext {
                referral: Some(r),
                ..c
            }),
            (None, Some(r)) => Some(MessageContext {
                referral: Some(r),
                ..Default::default()
            }),
        };
        let is_note = matches!(content, Content::System { .. });
        let recipients: Vec<&MemberRow> = if is_note {
            vec![]
        } else {
            active
                .iter()
                .copied()
                .filter(|m| m.account_id != sender.id)
                .collect()
        };
        let id = self.ground.ids.next();
        let now = self.ground.now();
        let opens_window = match (sender.kind, recipients.as_slice()) {
            (AccountKind::Person, [one])
                if one.account_kind == AccountKind::Business && !is_note =>
            {
                Some((one.account_id, sender.id))
            }
            _ => None,
        };
        let message = MessageRow {
            id,
            chat_id,
            seq: 0,
            sender_id: sender.id,
            sender_wa_id: sender.wa_id.clone(),
            content,
            context,
            forwarded,
            client_id,
            callback_data,
            category: category.filter(|_| sender.kind == AccountKind::Business),
            created_at: now,
        };
        let webhooks = webhook_work(sender, &recipients, &message);
        let has_webhooks = !webhooks.is_empty();
        let new = NewMessage {
            message,
            media_id,
            recipients: recipients.iter().map(|m| m.account_id).collect(),
            audience: active.iter().map(|m| m.account_id).collect(),
            webhooks,
            opens_window,
            charges,
        };
        match self.store.commit_message(new).await? {
            Committed::Duplicate(original) => {
                Metrics::inc(&self.ground.metrics.messages_deduplicated);
                Ok(original)
            }
            Committed::New { message, events } => {
                Metrics::inc(&self.ground.metrics.messages_committed);
                if let Some((business, person)) = opens_window {
                    self.note_inbound(business, person, message.created_at);
                }
                if has_webhooks {
                    self.ground.outbox_ready.notify_one();
                }
                // Two renderings serve everyone: the sender's (with its status) and the rest's.
                let view = self.message_view(&message, None);
                let own_status = (!is_note).then(|| ReceiptStatus::Sent.as_str().to_string());
                let for_sender = Arc::new(Event::Message {
                    message: Message {
                        status: own_status,
                        ..view.clone()
                    },
                });
                let for_others = Arc::new(Event::Message { message: view });
                for at in events {
                    let event = if at.account_id == sender.id {
                        &for_sender
                    } else {
                        &for_others
                    };
                    self.publish_shared(at, Some(event.clone()));
                }
                Ok(message)
            }
        }
    }

    /// Check content rules; fills in media facts. Returns the media id referenced.
    async fn check_content(
        &self,
        sender: i64,
        chat_id: i64,
        content: &mut Content,
    ) -> Result<Option<i64>> {
        let kind = content.kind();
        match content {
            Content::Text { text } => {
                let n = text.body.chars().count();
                if text.body.trim().is_empty() {
                    return Err(Error::bad("text body must not be empty"));
                }
                if n > MAX_TEXT_CHARS {
                    return Err(Error::bad(format!(
                        "text body is longer than {MAX_TEXT_CHARS} characters"
                    )));
                }
            }
            Content::Location { location } => {
                if !(-90.0..=90.0).contains(&location.latitude)
                    || !(-180.0..=180.0).contains(&location.longitude)
                {
                    return Err(Error::bad(
                        "latitude must be within ±90 and longitude within ±180",
                    ));
                }
            }
            Content::Contacts { contacts } => {
                if contacts.is_empty() || contacts.len() > 5 {
                    return Err(Error::bad("send 1 to 5 contacts"));
                }
                if contacts
                    .iter()
                    .any(|c| c.name.formatted_name.trim().is_empty())
                {
                    return Err(Error::bad("every contact needs name.formatted_name"));
                }
            }
            Content::Reaction { reaction } => {
                let target = self.message_in_chat(chat_id, &reaction.message_id).await?;
                if matches!(
                    target.content,
                    Content::Reaction { .. } | Content::System { .. }
                ) {
                    return Err(Error::bad("you cannot react to that message"));
                }
                if reaction.emoji.chars().count() > 10 {
                    return Err(Error::bad("a reaction is a single emoji"));
                }
            }
            Content::System { .. }
            | Content::Template { .. }
            | Content::Button { .. }
            | Content::Order { .. } => {}
            Content::Interactive { interactive } => {
                if let Some(media) = interactive.header.as_mut().and_then(|h| h.media_mut()) {
                    return self.fill_media(sender, media, "header").await.map(Some);
                }
            }
            _ => {
                let media = content.media_mut().expect("media variant");
                return self.fill_media(sender, media, kind).await.map(Some);
            }
        }
        Ok(None)
    }

    /// Check a media reference the sender may use and fill in its facts; returns its id.
    pub(crate) async fn fill_media(
        &self,
        sender: i64,
        media: &mut wasla_types::content::Media,
        kind: &str,
    ) -> Result<i64> {
        if media
            .caption
            .as_ref()
            .is_some_and(|c| c.chars().count() > MAX_CAPTION_CHARS)
        {
            return Err(Error::bad(format!(
                "caption is longer than {MAX_CAPTION_CHARS} characters"
            )));
        }
        let id = media
            .id
            .clone()
            .ok_or_else(|| Error::bad(format!("{kind} needs a media id")))?;
        let row = self
            .accounts
            .visible_media(sender, &id)
            .await
            .map_err(|_| Error::bad(format!("media {id} not found")))?;
        let expected = match kind {
            "image" | "sticker" => Some(MediaKind::Image),
            "video" => Some(MediaKind::Video),
            "audio" => Some(MediaKind::Audio),
            _ => None,
        };
        if expected.is_some_and(|k| k != MediaKind::of(&row.mime_type)) {
            return Err(Error::bad(format!(
                "media {id} is {}, not {kind}",
                row.mime_type
            )));
        }
        // A sticker is checked from its bytes (and whether it is animated read from them).
        media.animated = None;
        if kind == "sticker" {
            media.animated = Some(self.accounts.sticker_facts(&row).await?.animated);
        }
        media.link = None;
        media.mime_type = Some(row.mime_type.clone());
        media.sha256 = Some(row.sha256.clone());
        media.file_size = Some(row.file_size as u64);
        if media.filename.is_none() && kind == "document" {
            media.filename = row.filename.clone();
        }
        Ok(row.id)
    }

    /// A message of this chat by wamid.
    async fn message_in_chat(&self, chat_id: i64, id: &str) -> Result<MessageRow> {
        let not_found = || Error::bad(format!("message {id} not found in this chat"));
        let row = self
            .store
            .message(parse_wamid(id).ok_or_else(not_found)?)
            .await?
            .ok_or_else(not_found)?;
        if row.chat_id != chat_id {
            return Err(not_found());
        }
        Ok(row)
    }

    /// A page of history, newest last.
    pub async fn history(
        &self,
        viewer: i64,
        chat_id: &str,
        before_seq: Option<i64>,
        limit: Option<i64>,
    ) -> Result<MessagePage> {
        let (chat, me) = self.chat_for(viewer, chat_id).await?;
        let limit = limit.unwrap_or(50).clamp(1, MAX_PAGE);
        let mut rows = self
            .store
            .messages_before(chat.id, before_seq, me.left_seq, limit + 1)
            .await?;
        let has_more = rows.len() as i64 > limit;
        if has_more {
            rows.remove(0);
        }
        Ok(MessagePage {
            data: self.messages_view(viewer, &rows).await?,
            has_more,
        })
    }

    /// Per-recipient receipts of one's own message.
    pub async fn message_receipts(
        &self,
        viewer: i64,
        chat_id: &str,
        id: &str,
    ) -> Result<Vec<Receipt>> {
        let (chat, _) = self.chat_for(viewer, chat_id).await?;
        let msg = self
            .message_in_chat(chat.id, id)
            .await
            .map_err(|_| Error::not_found("message not found"))?;
        if msg.sender_id != viewer {
            return Err(Error::Forbidden("only the sender sees receipts".into()));
        }
        let receipts = self.store.receipts(msg.id).await?;
        let ids: Vec<i64> = receipts.iter().map(|r| r.0).collect();
        let accounts = self.accounts.accounts(&ids).await?;
        Ok(receipts
            .into_iter()
            .filter_map(|(acc, status, at)| {
                accounts.iter().find(|a| a.id == acc).map(|a| Receipt {
                    wa_id: a.wa_id.clone(),
                    status: status.as_str().into(),
                    timestamp: at,
                })
            })
            .collect())
    }

    /// Show `sender` typing (or stopping) to the chat's other members.
    pub async fn typing(&self, sender: &AccountRow, chat_id: &str, state: &str) -> Result<()> {
        if state != "composing" && state != "paused" {
            return Err(Error::bad("state is composing or paused"));
        }
        let (chat_id, members) = self.active_members(sender.id, chat_id).await?;
        for m in members
            .iter()
            .filter(|m| m.active() && m.account_id != sender.id)
        {
            self.ground.bus.publish(
                Topic::Account(m.account_id),
                BusMessage::Typing {
                    chat_id: chat_id.to_string(),
                    wa_id: sender.wa_id.clone(),
                    state: state.into(),
                },
            );
        }
        Ok(())
    }
}

/// What a sender wants to send, before validation.
pub(crate) struct Draft {
    /// The content.
    pub content: Content,
    /// The quoted message.
    pub context: Option<MessageContext>,
    /// Marked as forwarded.
    pub forwarded: bool,
    /// The sender device's idempotency key.
    pub client_id: Option<String>,
    /// A business send's `biz_opaque_callback_data`.
    pub callback_data: Option<String>,
    /// A business send's pricing category (`service` when absent).
    pub category: Option<String>,
    /// What each delivery of a business send will cost (see [`super::PendingCharge`]).
    pub charges: Vec<super::PendingCharge>,
}

impl Draft {
    /// Plain content with nothing else.
    pub(crate) fn of(content: Content) -> Self {
        Draft {
            content,
            context: None,
            forwarded: false,
            client_id: None,
            callback_data: None,
            category: None,
            charges: vec![],
        }
    }
}

/// Webhooks a message causes: a person's message reaching business numbers, or the `sent`
/// status of a business number's message.
fn webhook_work(
    sender: &AccountRow,
    recipients: &[&MemberRow],
    m: &MessageRow,
) -> Vec<WebhookWork> {
    let message_id = m.id;
    if sender.kind == AccountKind::Business {
        return recipients
            .iter()
            .map(|r| WebhookWork {
                business_id: sender.id,
                waba_id: None,
                event: WebhookEvent::Status {
                    message_id: Some(m.id),
                    wamid: wamid(m.id),
                    recipient_id: Some(r.account_id),
                    recipient_wa_id: String::new(),
                    status: "sent".into(),
                    timestamp: m.created_at,
                    error_code: None,
                    category: m.category.clone(),
                    callback_data: m.callback_data.clone(),
                },
            })
            .collect();
    }
    recipients
        .iter()
        .filter(|m| m.account_kind == AccountKind::Business)
        .map(|m| WebhookWork {
            business_id: m.account_id,
            waba_id: None,
            event: WebhookEvent::Message { message_id },
        })
        .collect()
}

/// The context of a reply, filled in from the quoted message.
fn quote_of(q: &MessageRow) -> MessageContext {
    MessageContext {
        message_id: wamid(q.id),
        from: Some(q.sender_wa_id.clone()),
        kind: Some(q.content.kind().into()),
        preview: Some(q.content.preview()),
        referred_product: None,
        status: None,
        referral: None,
    }
}

/// The draft of a client's send: the server alone sets a context's Status quote and referral.
fn client_draft(req: SendMessage, referral: Option<wasla_types::ads::Referral>) -> Draft {
    let mut context = req.context.map(|c| MessageContext {
        status: None,
        referral: None,
        ..c
    });
    if let Some(referral) = referral {
        context.get_or_insert_with(Default::default).referral = Some(Box::new(referral));
    }
    Draft {
        content: req.content,
        context,
        forwarded: req.forwarded,
        client_id: req.client_id,
        callback_data: None,
        category: None,
        charges: vec![],
    }
}
