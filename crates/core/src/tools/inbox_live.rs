//! The inbox keeps up with customers. A worker reacts to each business number's stored event
//! stream (never to a request in flight), holding a leased cursor per number: when a customer
//! writes in a resolved or pending chat, the chat reopens and goes where the business's rule
//! says (back to its agent, to its agent only while they are online, or to the unassigned
//! queue); and the agents are told on their live streams with `notify` items: a new chat or a
//! reopened unassigned one to every agent of the business, a message in an assigned chat to
//! its agent only. Mentions of agents in notes (`@name`, agents of the same business only)
//! notify the agents mentioned.

use super::{AgentRow, InboxRow, NoteRow, Tools};
use crate::accounts::{AccountKind, AccountRow};
use crate::chats::{EventKind, MessageRow};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use wasla_types::content::Content;
use wasla_types::tools::InboxSettings;

/// How long a worker owns a number's inbox cursor.
const LEASE_MS: i64 = 30_000;
/// Events read per round and number.
const BATCH: i64 = 200;
/// Messages older than this when handled (a first run over a long history) reopen chats but
/// notify nobody.
const NOTIFY_WITHIN_MS: i64 = 10 * 60 * 1000;
/// The reopen rules, the default first.
pub const REOPEN_RULES: [&str; 3] = ["agent_if_online", "agent", "unassigned"];

impl Tools {
    /// The business's inbox settings (the default rule until an admin picks one).
    pub async fn inbox_settings(&self, me: &AgentRow) -> Result<InboxSettings> {
        let reopen_to = self.store.inbox_reopen_to(me.waba_id).await?;
        Ok(InboxSettings {
            reopen_to: reopen_to.unwrap_or_else(|| REOPEN_RULES[0].to_string()),
        })
    }

    /// Pick the business's reopen rule (admins only); anything but a known rule is refused.
    pub async fn set_inbox_settings(
        &self,
        me: &AgentRow,
        settings: &InboxSettings,
    ) -> Result<InboxSettings> {
        Tools::require_admin(me)?;
        if !REOPEN_RULES.contains(&settings.reopen_to.as_str()) {
            return Err(Error::bad(
                "reopen_to is agent_if_online, agent or unassigned",
            ));
        }
        self.store
            .set_inbox_reopen_to(me.waba_id, &settings.reopen_to, self.ground.now())
            .await?;
        self.console_notice(
            me.waba_id,
            serde_json::json!({"type": "inbox_settings", "reopen_to": settings.reopen_to}),
        );
        Ok(settings.clone())
    }

    /// Whether an agent counts as online: a console open, or activity within the last minutes.
    pub fn agent_is_online(&self, a: &AgentRow) -> bool {
        self.accounts.presence.console_open(a.id)
            || a.last_seen
                .is_some_and(|t| self.ground.now() - t < super::automation::AGENT_ONLINE_MS)
    }

    /// Start the inbox worker; it stops when the server shuts down.
    pub fn spawn_inbox_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let stopping = app.ground.stopping();
            tokio::pin!(stopping);
            let mut seen = HashMap::new();
            loop {
                if let Err(e) = app.inbox_round(&mut seen).await {
                    tracing::error!(error = %e, "inbox worker");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                }
            }
        })
    }

    async fn inbox_round(&self, seen: &mut HashMap<i64, i64>) -> Result<()> {
        for number_id in self.store.staffed_numbers().await? {
            let head = self.chats.last_event_seq(number_id).await?;
            if seen.get(&number_id) == Some(&head) {
                continue;
            }
            let now = self.ground.now();
            let Some(mut cursor) = self
                .store
                .lease_inbox_cursor(number_id, now, now + LEASE_MS)
                .await?
            else {
                continue;
            };
            let result = self.inbox_number(number_id, &mut cursor).await;
            self.store.save_inbox_cursor(number_id, cursor).await?;
            result?;
            if cursor >= head {
                seen.insert(number_id, head);
            }
        }
        Ok(())
    }

    async fn inbox_number(&self, number_id: i64, cursor: &mut i64) -> Result<()> {
        let Some(number) = self.accounts.account(number_id).await? else {
            return Ok(());
        };
        for ev in self
            .chats
            .stored_events_after(number_id, *cursor, BATCH)
            .await?
        {
            if let (EventKind::Message, Some(m)) = (ev.kind, &ev.message) {
                if m.sender_id != number.id {
                    match self.on_customer_message(&number, m).await {
                        Err(e @ Error::Internal(_)) => return Err(e),
                        Err(e) => tracing::warn!(error = %e, "inbox worker skipped an event"),
                        Ok(()) => {}
                    }
                }
            }
            *cursor = ev.seq;
        }
        Ok(())
    }

    /// A customer wrote: reopen the chat by the business's rule, then tell the agents.
    async fn on_customer_message(&self, number: &AccountRow, m: &MessageRow) -> Result<()> {
        if matches!(m.content, Content::System { .. } | Content::Reaction { .. }) {
            return Ok(());
        }
        let Some(waba_id) = number.waba_id else {
            return Ok(());
        };
        let Some(person) = self.accounts.account(m.sender_id).await? else {
            return Ok(());
        };
        if person.kind != AccountKind::Person {
            return Ok(());
        }
        let row = self.store.inbox(m.chat_id).await?;
        let mut kind = "message";
        let mut assignee = row.as_ref().and_then(|r| r.assignee_id);
        if let Some(r) = row
            .as_ref()
            .filter(|r| r.state != "open" && m.created_at >= r.updated_at)
        {
            let rule = self.store.inbox_reopen_to(waba_id).await?;
            let agent = match r.assignee_id {
                Some(id) => self.store.agent(id).await?,
                None => None,
            };
            let back = match rule.as_deref().unwrap_or(REOPEN_RULES[0]) {
                "agent" => agent.map(|a| a.id),
                "unassigned" => None,
                _ => agent.filter(|a| self.agent_is_online(a)).map(|a| a.id),
            };
            let next = InboxRow {
                state: "open".into(),
                assignee_id: back,
                updated_at: self.ground.now(),
                ..r.clone()
            };
            // Compare and swap on the assignee: an agent who changed the chat meanwhile wins.
            if !self.store.claim_inbox(&next, r.assignee_id).await? {
                return Ok(());
            }
            self.console_notice(
                waba_id,
                serde_json::json!({"type": "chat", "chat_id": next.chat_id.to_string(),
                    "state": next.state, "assignee_id": back.map(|a| a.to_string()),
                    "reopened": true}),
            );
            kind = "reopened";
            assignee = back;
        } else if row.is_none() {
            // A new chat: the customer has not written in it before.
            let earlier = self
                .chats
                .messages_before(m.chat_id, Some(m.seq), None, 20)
                .await?;
            if earlier.iter().all(|e| e.sender_id == number.id) {
                kind = "new_chat";
            }
        }
        if self.ground.now() - m.created_at > NOTIFY_WITHIN_MS {
            return Ok(());
        }
        // Unassigned chats notify everyone when new or reopened; assigned ones their agent.
        if assignee.is_none() && kind == "message" {
            return Ok(());
        }
        self.notify(
            waba_id,
            assignee,
            serde_json::json!({"kind": kind, "chat_id": m.chat_id.to_string(),
                "phone_number_id": number.id.to_string(), "name": person.display_name,
                "preview": m.content.preview()}),
        );
        Ok(())
    }

    /// A `notify` item on the live streams of a WABA's agents: every agent's, or only `to`'s.
    fn notify(&self, waba_id: i64, to: Option<i64>, mut item: serde_json::Value) {
        item["type"] = "notify".into();
        if let Some(to) = to {
            item["to"] = to.to_string().into();
        }
        self.console_notice(waba_id, item);
    }

    /// Tell the agents a note mentions (never its author).
    pub(super) fn notify_mentions(
        &self,
        me: &AgentRow,
        customer: &str,
        note: &NoteRow,
        mentioned: &[&AgentRow],
    ) {
        for a in mentioned.iter().filter(|a| a.id != me.id) {
            self.notify(
                me.waba_id,
                Some(a.id),
                serde_json::json!({"kind": "mention", "chat_id": note.chat_id.to_string(),
                    "note_id": note.id.to_string(), "by": me.name, "name": customer,
                    "preview": note.body}),
            );
        }
    }
}

/// The agents a note mentions: `@` and an agent's name (any case), not followed by a letter
/// or digit. Only the agents given (the business's own) can be mentioned.
pub(super) fn mentioned<'a>(body: &str, agents: &'a [AgentRow]) -> Vec<&'a AgentRow> {
    let text = body.to_lowercase();
    agents
        .iter()
        .filter(|a| {
            let tag = format!("@{}", a.name.to_lowercase());
            !a.name.trim().is_empty()
                && text.match_indices(&tag).any(|(i, _)| {
                    text[i + tag.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: i64, name: &str) -> AgentRow {
        AgentRow {
            id,
            waba_id: 1,
            email: format!("{id}@x.example"),
            name: name.into(),
            role: "agent".into(),
            password_hash: None,
            invite_hash: None,
            last_seen: None,
            created_at: 0,
        }
    }

    #[test]
    fn mentions_match_whole_names() {
        let agents = [agent(1, "Sam"), agent(2, "Samira Haddad"), agent(3, "سارة")];
        let ids =
            |body: &str| -> Vec<i64> { mentioned(body, &agents).iter().map(|a| a.id).collect() };
        assert_eq!(ids("ask @sam, please"), vec![1]);
        assert_eq!(ids("@Samira Haddad knows"), vec![2]);
        assert_eq!(ids("@samx and sam@example"), Vec::<i64>::new());
        assert_eq!(ids("تابعي يا @سارة"), vec![3]);
    }
}
