//! The shared inbox of a business's agents: every customer chat of the WABA's phone numbers
//! (whoever wrote in it, an integration through the Cloud API included) with its state
//! (open / pending / resolved), assignee, labels and unread count; claiming, assigning and
//! transferring chats; internal notes (with `@name` mentions of colleagues); how long each
//! customer has waited for a reply, and the list sorted by it; and replies sent as the
//! business number through the one send path, inside the 24-hour customer service window.

use super::automation::fill_variables;
use super::inbox_live::mentioned;
use super::Tools;
use super::{AgentRow, InboxRow, NoteRow};
use crate::accounts::{AccountKind, AccountRow, MediaRow};
use crate::chats::Draft;
use crate::chats::{ChatKind, ChatRow, MemberRow, MessageRow, ReceiptStatus};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use crate::integration::FailedSendRow;
use crate::integration::SERVICE_WINDOW_MS;
use wasla_types::client::{Message, MessagePage};
use wasla_types::content::Content;
use wasla_types::tools::{CustomerOrder, FailedSend, InboxChat, InboxUpdate, Note};

/// Filters of the inbox list.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    /// Only this state.
    pub state: Option<String>,
    /// `me`, `none`, or an agent id.
    pub assignee: Option<String>,
    /// Only chats with this label id.
    pub label: Option<String>,
    /// Name or number contains this.
    pub q: Option<String>,
    /// `latest` (newest activity first, the default) or `waiting` (longest waiting first).
    pub sort: Option<String>,
}

/// A customer chat of a WABA: the chat, the business number, the customer.
pub struct CustomerChat {
    /// The chat.
    pub chat: ChatRow,
    /// The business number in it.
    pub number: AccountRow,
    /// The customer.
    pub person: AccountRow,
    /// The number's membership (read position).
    pub member: MemberRow,
}

/// How many of a chat's latest messages are read to find how long its customer has waited.
const WAITING_SCAN: i64 = 50;

/// How many previous orders the customer panel lists.
const PANEL_ORDERS: i64 = 20;

impl Tools {
    /// The inbox state of a customer chat (none before its first change).
    pub async fn inbox_state(&self, chat_id: i64) -> Result<Option<InboxRow>> {
        self.store.inbox(chat_id).await
    }

    /// The customer's previous orders with any phone number of the agent's WABA, newest
    /// first, totals formatted with the currency's exponent.
    pub async fn customer_orders(
        &self,
        me: &AgentRow,
        c: &CustomerChat,
    ) -> Result<Vec<CustomerOrder>> {
        let rows = self
            .store
            .customer_orders(me.waba_id, c.person.id, PANEL_ORDERS)
            .await?;
        Ok(rows
            .into_iter()
            .map(|o| CustomerOrder {
                phone_number_id: o.business_id.to_string(),
                total_text: crate::commerce::format_money(o.total, &o.currency),
                reference_id: o.reference_id,
                status: o.status,
                payment_status: o.payment_status,
                currency: o.currency,
                total: o.total,
                created_at: o.created_at,
            })
            .collect())
    }

    /// A customer chat of the agent's WABA; anything else is not found.
    pub async fn customer_chat(&self, me: &AgentRow, chat_id: &str) -> Result<CustomerChat> {
        let missing = || Error::not_found("chat not found");
        let id = parse_id(chat_id).ok_or_else(missing)?;
        let chat = self.chats.chat(id).await?.ok_or_else(missing)?;
        if chat.kind != ChatKind::Direct {
            return Err(missing());
        }
        let members = self.chats.members(id).await?;
        let ids: Vec<i64> = members.iter().map(|m| m.account_id).collect();
        let accounts = self.accounts.accounts(&ids).await?;
        let number = accounts
            .iter()
            .find(|a| a.kind == AccountKind::Business && a.waba_id == Some(me.waba_id))
            .cloned()
            .ok_or_else(missing)?;
        let person = accounts
            .iter()
            .find(|a| a.id != number.id)
            .cloned()
            .ok_or_else(missing)?;
        let member = members
            .into_iter()
            .find(|m| m.account_id == number.id)
            .ok_or_else(missing)?;
        Ok(CustomerChat {
            chat,
            number,
            person,
            member,
        })
    }

    /// The inbox: customer chats of every number of the agent's WABA, newest activity first,
    /// or (`sort=waiting`) the customers waiting longest for a reply first.
    pub async fn inbox_list(&self, me: &AgentRow, f: &InboxFilter) -> Result<Vec<InboxChat>> {
        let waiting_first = match f.sort.as_deref() {
            None | Some("") | Some("latest") => false,
            Some("waiting") => true,
            Some(_) => return Err(Error::bad("sort is latest or waiting")),
        };
        let mut out = vec![];
        let mut people = vec![];
        for number in self.business.phone_numbers(me.waba_id).await? {
            let states = self.store.inbox_of(number.id).await?;
            let chats = self.chats.chats_of(number.id).await?;
            let chat_ids: Vec<i64> = chats.iter().map(|(c, _)| c.id).collect();
            let labels = self.store.chat_labels(&chat_ids).await?;
            for (chat, member) in chats.iter().filter(|(c, _)| c.kind == ChatKind::Direct) {
                let state = states.iter().find(|s| s.chat_id == chat.id);
                let members = self.chats.members(chat.id).await?;
                let Some(peer) = members.iter().find(|m| m.account_id != number.id) else {
                    continue;
                };
                let Some(person) = self.accounts.account(peer.account_id).await? else {
                    continue;
                };
                let mut recent = self
                    .chats
                    .messages_before(chat.id, None, None, WAITING_SCAN)
                    .await?;
                let waiting_since = waiting_since(&recent, number.id);
                let last = recent.pop();
                if last.is_none() {
                    continue;
                }
                let unread = self
                    .chats
                    .unread_count(chat.id, number.id, member.last_read_seq, None)
                    .await?;
                let view = InboxChat {
                    chat_id: chat.id.to_string(),
                    phone_number_id: number.id.to_string(),
                    wa_id: person.wa_id.clone(),
                    name: person.display_name.clone(),
                    state: state.map_or("open".into(), |s| s.state.clone()),
                    assignee_id: state.and_then(|s| s.assignee_id).map(|a| a.to_string()),
                    labels: labels
                        .iter()
                        .filter(|(c, _)| *c == chat.id)
                        .map(|(_, l)| l.to_string())
                        .collect(),
                    contact_labels: vec![],
                    unread,
                    last_message: last.as_ref().map(|m| m.content.preview()),
                    updated_at: last.map_or(chat.updated_at, |m| m.created_at),
                    waiting_since,
                    ad_origin: None,
                };
                people.push(person.id);
                out.push(view);
            }
        }
        let contact_labels = self.store.contact_labels(me.waba_id, &people).await?;
        for (view, person) in out.iter_mut().zip(&people) {
            view.contact_labels = contact_labels
                .iter()
                .filter(|(p, _)| p == person)
                .map(|(_, l)| l.to_string())
                .collect();
        }
        out.retain(|v| keep(v, f, me));
        out.sort_by_key(|c| std::cmp::Reverse(c.updated_at));
        if waiting_first {
            // Stable: chats nobody waits in keep newest activity first, after the waiting.
            out.sort_by_key(|c| c.waiting_since.unwrap_or(i64::MAX));
        }
        Ok(out)
    }

    /// A page of a customer chat's history as the business number sees it.
    pub async fn inbox_history(
        &self,
        me: &AgentRow,
        chat_id: &str,
        before_seq: Option<i64>,
    ) -> Result<MessagePage> {
        let c = self.customer_chat(me, chat_id).await?;
        self.chats
            .history(c.number.id, &c.chat.id.to_string(), before_seq, Some(100))
            .await
    }

    /// Sends to this customer that the Cloud API accepted and then failed (closed window,
    /// media not fetched), oldest first, each with its error code and reason.
    pub async fn inbox_failed(&self, me: &AgentRow, chat_id: &str) -> Result<Vec<FailedSend>> {
        let c = self.customer_chat(me, chat_id).await?;
        let rows = self
            .integration
            .failed_sends(c.number.id, c.person.id, 100)
            .await?;
        Ok(rows.into_iter().map(failed_view).collect())
    }

    /// The latest sends of the WABA's numbers that were accepted and then failed, newest first:
    /// to customers and to numbers that are not on this server (131026), which have no chat.
    pub async fn failed_sends_of_waba(&self, me: &AgentRow) -> Result<Vec<FailedSend>> {
        let numbers: Vec<i64> = self
            .business
            .phone_numbers(me.waba_id)
            .await?
            .iter()
            .map(|n| n.id)
            .collect();
        let rows = self.integration.failed_sends_of(&numbers, 200).await?;
        Ok(rows
            .into_iter()
            .map(|r| FailedSend {
                phone_number_id: Some(r.business_id.to_string()),
                recipient_id: Some(r.wa_id.clone()),
                ..failed_view(r)
            })
            .collect())
    }

    /// The business number has read the chat up to its last message.
    pub async fn inbox_mark_read(&self, me: &AgentRow, chat_id: &str) -> Result<()> {
        let c = self.customer_chat(me, chat_id).await?;
        let chat = self
            .chats
            .chat(c.chat.id)
            .await?
            .ok_or_else(|| Error::not_found("chat not found"))?;
        self.chats
            .mark_read(&c.number, &chat.id.to_string(), chat.last_seq)
            .await
    }

    /// Reply as the business number; an unassigned chat becomes the replying agent's.
    pub async fn inbox_reply(
        &self,
        me: &AgentRow,
        chat_id: &str,
        content: Content,
        quote: Option<String>,
    ) -> Result<Message> {
        let c = self.customer_chat(me, chat_id).await?;
        if matches!(content, Content::System { .. } | Content::Template { .. }) {
            return Err(Error::bad(
                "send text, media, a reaction or interactive content",
            ));
        }
        let last = self.chats.last_inbound(c.number.id, c.person.id).await?;
        if last.is_none_or(|t| self.ground.now() - t >= SERVICE_WINDOW_MS) {
            return Err(Error::bad(
                "the 24-hour customer service window is closed: only a template can reach this customer now",
            ));
        }
        let members = self.chats.members(c.chat.id).await?;
        let mut draft = Draft::of(fill_variables(content, &c.person));
        draft.context = quote.map(|id| wasla_types::content::MessageContext {
            message_id: id,
            ..Default::default()
        });
        let msg = self
            .chats
            .commit_content(&c.number, c.chat.id, &members, draft)
            .await?;
        let row = InboxRow {
            chat_id: c.chat.id,
            business_id: c.number.id,
            state: "open".into(),
            assignee_id: Some(me.id),
            updated_at: self.ground.now(),
        };
        self.store.claim_inbox(&row, None).await?;
        Ok(self.chats.message_view(&msg, Some(ReceiptStatus::Sent)))
    }

    /// Claim, assign, transfer or unassign a chat, and/or change its state.
    pub async fn inbox_update(
        &self,
        me: &AgentRow,
        chat_id: &str,
        req: InboxUpdate,
    ) -> Result<InboxRow> {
        let c = self.customer_chat(me, chat_id).await?;
        let current = self.store.inbox(c.chat.id).await?.unwrap_or(InboxRow {
            chat_id: c.chat.id,
            business_id: c.number.id,
            state: "open".into(),
            assignee_id: None,
            updated_at: self.ground.now(),
        });
        let mut next = current.clone();
        next.updated_at = self.ground.now();
        if let Some(state) = &req.state {
            if !["open", "pending", "resolved"].contains(&state.as_str()) {
                return Err(Error::bad("state is open, pending or resolved"));
            }
            next.state = state.clone();
        }
        if let Some(target) = &req.assignee_id {
            let target = if target.is_empty() {
                None
            } else {
                Some(self.colleague(me, target).await?.id)
            };
            // Agents claim free chats and hand on their own; admins assign anything.
            let mine_or_free = current.assignee_id.is_none() || current.assignee_id == Some(me.id);
            if me.role != "admin" && !mine_or_free {
                return Err(Error::Conflict(
                    "another agent is handling this chat".into(),
                ));
            }
            next.assignee_id = target;
            if !self.store.claim_inbox(&next, current.assignee_id).await? {
                return Err(Error::Conflict(
                    "someone else changed this chat first".into(),
                ));
            }
            self.chat_notice(me, &next);
            return Ok(next);
        }
        self.store.put_inbox(&next).await?;
        self.chat_notice(me, &next);
        Ok(next)
    }

    fn chat_notice(&self, me: &AgentRow, row: &InboxRow) {
        self.console_notice(
            me.waba_id,
            serde_json::json!({"type": "chat", "chat_id": row.chat_id.to_string(),
                "state": row.state, "assignee_id": row.assignee_id.map(|a| a.to_string())}),
        );
    }

    /// Media bytes one of the WABA's numbers may see (sent or received in its chats).
    pub async fn inbox_media(&self, me: &AgentRow, id: &str) -> Result<(MediaRow, Vec<u8>)> {
        for number in self.business.phone_numbers(me.waba_id).await? {
            if let Ok(found) = self.accounts.download_media(number.id, id).await {
                return Ok(found);
            }
        }
        Err(Error::not_found("media not found"))
    }

    /// Add an internal note (agents only ever see it).
    pub async fn add_note(&self, me: &AgentRow, chat_id: &str, body: &str) -> Result<Note> {
        let c = self.customer_chat(me, chat_id).await?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 4096 {
            return Err(Error::bad("a note is 1 to 4096 characters"));
        }
        let row = NoteRow {
            id: self.ground.ids.next(),
            chat_id: c.chat.id,
            agent_id: me.id,
            body: body.to_string(),
            created_at: self.ground.now(),
        };
        self.store.add_note(&row).await?;
        let agents = self.store.agents(me.waba_id).await?;
        let mentioned = mentioned(&row.body, &agents);
        self.notify_mentions(me, &c.person.display_name, &row, &mentioned);
        Ok(note_view(&row, &agents))
    }

    /// The chat's internal notes.
    pub async fn notes(&self, me: &AgentRow, chat_id: &str) -> Result<Vec<Note>> {
        let c = self.customer_chat(me, chat_id).await?;
        let agents = self.store.agents(me.waba_id).await?;
        Ok(self
            .store
            .notes(c.chat.id)
            .await?
            .iter()
            .map(|n| note_view(n, &agents))
            .collect())
    }
}

fn failed_view(r: FailedSendRow) -> FailedSend {
    FailedSend {
        id: r.wamid,
        kind: r.kind,
        preview: r.preview,
        status: "failed".into(),
        timestamp: r.created_at,
        errors: vec![crate::integration::status_error(r.error_code)],
        phone_number_id: None,
        recipient_id: None,
    }
}

fn note_view(n: &NoteRow, agents: &[AgentRow]) -> Note {
    Note {
        id: n.id.to_string(),
        agent_id: n.agent_id.to_string(),
        body: n.body.clone(),
        created_at: n.created_at,
        mentions: mentioned(&n.body, agents)
            .iter()
            .map(|a| a.id.to_string())
            .collect(),
    }
}

/// The oldest customer message after the business's last one (`messages` oldest first);
/// reactions and system notes neither wait nor answer.
fn waiting_since(messages: &[MessageRow], number_id: i64) -> Option<i64> {
    let mut since = None;
    for m in messages.iter().rev() {
        if matches!(m.content, Content::System { .. } | Content::Reaction { .. }) {
            continue;
        }
        if m.sender_id == number_id {
            break;
        }
        since = Some(m.created_at);
    }
    since
}

fn keep(v: &InboxChat, f: &InboxFilter, me: &AgentRow) -> bool {
    if f.state.as_ref().is_some_and(|s| *s != v.state) {
        return false;
    }
    match f.assignee.as_deref() {
        Some("me") if v.assignee_id != Some(me.id.to_string()) => return false,
        Some("none") if v.assignee_id.is_some() => return false,
        Some(id) if !["me", "none"].contains(&id) && v.assignee_id.as_deref() != Some(id) => {
            return false
        }
        _ => {}
    }
    if f.label
        .as_ref()
        .is_some_and(|l| !v.labels.contains(l) && !v.contact_labels.contains(l))
    {
        return false;
    }
    if let Some(q) =
        f.q.as_ref()
            .map(|q| q.to_lowercase())
            .filter(|q| !q.is_empty())
    {
        if !v.name.to_lowercase().contains(&q) && !v.wa_id.contains(&q) {
            return false;
        }
    }
    true
}
