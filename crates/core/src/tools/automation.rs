//! Automations of a business number: the greeting, the away message, FAQ rules with a hand-off
//! to a human, and the `request_welcome` webhook of the conversational automation. A worker
//! reacts to the number's stored event stream (never to a request in flight): it leases the
//! number's cursor, reads the events after it and answers through the one send path, as the
//! business, so integrations see the replies in their status webhooks. Every reply is recorded
//! under a key before it is sent, so nothing is answered twice; automations answer people
//! only, inside the 24-hour window, and step aside while an agent handles the chat.

use super::hours;
use super::InboxRow;
use super::Tools;
use crate::accounts::{AccountKind, AccountRow};
use crate::chats::Draft;
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::chats::{ChatKind, EventKind, MessageRow};
use crate::error::{Error, Result};
use crate::integration::SERVICE_WINDOW_MS;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use wasla_types::content::{Content, Text};
use wasla_types::tools::{
    AutomationSettings, ConversationalAutomation, ConversationalAutomationUpdate,
};

/// How long a worker owns a number's cursor.
const LEASE_MS: i64 = 30_000;
/// Events read per round and number.
const BATCH: i64 = 200;
/// An agent seen this recently counts as online.
pub const AGENT_ONLINE_MS: i64 = 90_000;
const DAY_MS: i64 = 24 * 3600 * 1000;

impl Tools {
    /// A business number's automation settings (defaults when never set).
    pub async fn automation_settings(&self, number: &AccountRow) -> Result<AutomationSettings> {
        match self.store.automation_settings(number.id).await? {
            Some(json) => serde_json::from_str(&json).map_err(Error::internal),
            None => Ok(AutomationSettings::default()),
        }
    }

    /// Check and save a business number's automation settings.
    pub async fn save_automation_settings(
        &self,
        number: &AccountRow,
        settings: &AutomationSettings,
    ) -> Result<()> {
        hours::validate(settings)?;
        if let Some(g) = &settings.greeting {
            check_text("greeting.text", &g.text)?;
            if !(1..=365).contains(&g.after_days) {
                return Err(Error::bad("greeting.after_days must be 1 to 365"));
            }
            let known: Vec<String> = match number.waba_id {
                Some(w) => self.store.labels(w).await?,
                None => vec![],
            }
            .iter()
            .map(|l| l.id.to_string())
            .collect();
            for id in g.include_labels.iter().chain(&g.exclude_labels) {
                if !known.contains(id) {
                    return Err(Error::bad(format!(
                        "greeting label {id:?} is not a label of this business"
                    )));
                }
            }
        }
        if let Some(a) = &settings.away {
            check_text("away.text", &a.text)?;
            let tz = hours::time_zone(settings)?;
            match a.mode.as_str() {
                "always" | "outside_hours" => {}
                "custom" => {
                    let (Some(from), Some(until)) = (&a.from, &a.until) else {
                        return Err(Error::bad("a custom away period needs from and until"));
                    };
                    if hours::local_instant(&tz, from)? >= hours::local_instant(&tz, until)? {
                        return Err(Error::bad("away.from must be before away.until"));
                    }
                }
                other => {
                    return Err(Error::bad(format!(
                        "away.mode {other:?} is not always, outside_hours or custom"
                    )))
                }
            }
        }
        if settings.faq.len() > 100 {
            return Err(Error::bad("at most 100 FAQ rules"));
        }
        for (i, rule) in settings.faq.iter().enumerate() {
            if rule.keywords.is_empty() || rule.keywords.iter().any(|k| k.trim().is_empty()) {
                return Err(Error::bad(format!(
                    "faq[{i}] needs keywords, none of them empty"
                )));
            }
            if matches!(
                rule.reply,
                Content::System { .. } | Content::Reaction { .. }
            ) {
                return Err(Error::bad(format!("faq[{i}].reply cannot be of that type")));
            }
        }
        check_conversational(&settings.conversational)?;
        let json = serde_json::to_string(settings).map_err(Error::internal)?;
        let start = self.chats.last_event_seq(number.id).await?;
        self.store
            .save_automation_settings(number.id, &json, self.ground.now(), start)
            .await
    }

    /// `POST /{phone-number-id}/conversational_automation`: change the welcome switch, prompts
    /// or commands given (the others, and the other automations, keep their values). Nothing
    /// changes unless all of it is valid; an update naming nothing is refused.
    pub async fn set_conversational_automation(
        &self,
        number: &AccountRow,
        update: ConversationalAutomationUpdate,
    ) -> Result<()> {
        if update == ConversationalAutomationUpdate::default() {
            return Err(Error::invalid_param(
                "send at least one of enable_welcome_message, prompts and commands",
            ));
        }
        let mut settings = self.automation_settings(number).await?;
        let conv = &mut settings.conversational;
        if let Some(on) = update.enable_welcome_message {
            conv.enable_welcome_message = on;
        }
        if let Some(prompts) = update.prompts {
            conv.prompts = prompts;
        }
        if let Some(commands) = update.commands {
            conv.commands = commands;
        }
        check_conversational(conv).map_err(|e| Error::invalid_param(e.to_string()))?;
        self.save_automation_settings(number, &settings).await
    }

    /// Run the automation worker until the server stops.
    pub fn spawn_automation_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let stopping = app.ground.stopping();
            tokio::pin!(stopping);
            // Numbers whose stream head was handled: idle numbers cost one read per round.
            let mut handled = HashMap::new();
            loop {
                if let Err(e) = app.automation_round(&mut handled).await {
                    tracing::error!(error = %e, "automation worker");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                }
            }
        })
    }

    /// One round: every automated number's new events; returns how many were handled.
    pub async fn run_automations(&self) -> Result<usize> {
        self.automation_round(&mut HashMap::new()).await
    }

    /// One round, skipping numbers whose stream head is in `seen` (number → head handled).
    async fn automation_round(&self, seen: &mut HashMap<i64, i64>) -> Result<usize> {
        let mut handled = 0;
        for number_id in self.store.automated_numbers().await? {
            let head = self.chats.last_event_seq(number_id).await?;
            if seen.get(&number_id) == Some(&head) {
                continue;
            }
            let now = self.ground.now();
            let Some(last) = self
                .store
                .lease_cursor(number_id, now, now + LEASE_MS)
                .await?
            else {
                continue;
            };
            let mut cursor = last;
            let result = self
                .automate_number(number_id, &mut cursor, &mut handled)
                .await;
            self.store.save_cursor(number_id, cursor).await?;
            result?;
            if cursor >= head {
                seen.insert(number_id, head);
            }
        }
        Ok(handled)
    }

    async fn automate_number(&self, number_id: i64, cursor: &mut i64, n: &mut usize) -> Result<()> {
        let Some(number) = self.accounts.account(number_id).await? else {
            return Ok(());
        };
        let settings = self.automation_settings(&number).await?;
        for ev in self
            .chats
            .stored_events_after(number_id, *cursor, BATCH)
            .await?
        {
            let outcome = match (ev.kind, &ev.message, ev.chat_id) {
                (EventKind::Message, Some(m), _) if m.sender_id != number.id => {
                    self.on_inbound(&number, &settings, m).await
                }
                (EventKind::Chat, _, Some(chat_id)) => {
                    self.on_chat_opened(&number, &settings, chat_id).await
                }
                _ => Ok(()),
            };
            match outcome {
                // A store failure is retried from this event on the next round.
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(e) => tracing::warn!(error = %e, "automation skipped an event"),
                Ok(()) => {}
            }
            *cursor = ev.seq;
            *n += 1;
        }
        Ok(())
    }

    /// A person wrote to the number: greeting, away message, FAQ.
    async fn on_inbound(
        &self,
        number: &AccountRow,
        settings: &AutomationSettings,
        m: &MessageRow,
    ) -> Result<()> {
        if matches!(m.content, Content::System { .. } | Content::Reaction { .. }) {
            return Ok(());
        }
        let Some(person) = self.accounts.account(m.sender_id).await? else {
            return Ok(());
        };
        if person.kind != AccountKind::Person {
            return Ok(());
        }
        let now = self.ground.now();
        // Late events whose window has closed are not answered.
        if now - m.created_at >= SERVICE_WINDOW_MS {
            return Ok(());
        }
        if let Some(row) = self.store.inbox(m.chat_id).await? {
            if row.assignee_id.is_some() && row.state != "resolved" {
                return Ok(());
            }
        }
        if let Some(g) = settings.greeting.as_ref().filter(|g| g.enabled) {
            let labels = match number.waba_id {
                Some(waba) if !g.include_labels.is_empty() || !g.exclude_labels.is_empty() => {
                    self.labels_on(waba, m.chat_id, person.id).await?
                }
                _ => vec![],
            };
            let has = |ids: &[String]| ids.iter().any(|id| labels.contains(id));
            let listed = (g.include.is_empty() && g.include_labels.is_empty())
                || g.include.contains(&person.wa_id)
                || has(&g.include_labels);
            let excluded = g.exclude.contains(&person.wa_id) || has(&g.exclude_labels);
            let previous = self
                .chats
                .messages_before(m.chat_id, Some(m.seq), None, 1)
                .await?;
            let returning = previous
                .last()
                .is_none_or(|p| m.created_at - p.created_at >= g.after_days * DAY_MS);
            if listed && !excluded && returning {
                let key = format!("greeting:{}", m.id);
                self.auto_reply(number, &person, m.chat_id, &key, "greeting", text(&g.text))
                    .await?;
            }
        }
        if let Some(a) = settings.away.as_ref().filter(|a| a.enabled) {
            let tz = hours::time_zone(settings)?;
            let away = match a.mode.as_str() {
                "always" => true,
                "outside_hours" => !hours::is_open(settings, now)?,
                _ => match (&a.from, &a.until) {
                    (Some(f), Some(u)) => {
                        hours::local_instant(&tz, f)? <= now && now < hours::local_instant(&tz, u)?
                    }
                    _ => false,
                },
            };
            let staffed = a.only_when_no_agent_online && self.agent_online(number).await?;
            if away && !staffed {
                // At most one away message per customer and local day.
                let day = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(now)
                    .unwrap_or_default()
                    .with_timezone(&tz)
                    .format("%Y-%m-%d");
                let key = format!("away:{}:{day}", person.id);
                self.auto_reply(number, &person, m.chat_id, &key, "away", text(&a.text))
                    .await?;
            }
        }
        if let Content::Text { text: t } = &m.content {
            let said = t.body.to_lowercase();
            let rule = settings.faq.iter().find(|r| {
                r.keywords
                    .iter()
                    .any(|k| said.contains(&k.trim().to_lowercase()))
            });
            if let Some(rule) = rule {
                let key = format!("faq:{}", m.id);
                let sent = self
                    .auto_reply(number, &person, m.chat_id, &key, "faq", rule.reply.clone())
                    .await?;
                if sent && rule.handoff {
                    self.hand_off(number, m.chat_id).await?;
                }
            }
        }
        Ok(())
    }

    /// A chat with the number was created: the `request_welcome` webhook, once per person.
    async fn on_chat_opened(
        &self,
        number: &AccountRow,
        settings: &AutomationSettings,
        chat_id: i64,
    ) -> Result<()> {
        if !settings.conversational.enable_welcome_message {
            return Ok(());
        }
        let Some(chat) = self.chats.chat(chat_id).await? else {
            return Ok(());
        };
        if chat.kind != ChatKind::Direct {
            return Ok(());
        }
        let members = self.chats.members(chat_id).await?;
        let Some(person) = members
            .iter()
            .find(|m| m.account_id != number.id && m.account_kind == AccountKind::Person)
        else {
            return Ok(());
        };
        let key = format!("welcome:{}", person.account_id);
        if !self
            .store
            .record_reply(
                number.id,
                &key,
                "welcome",
                person.account_id,
                self.ground.now(),
            )
            .await?
        {
            return Ok(());
        }
        let work = WebhookWork {
            business_id: number.id,
            waba_id: None,
            event: WebhookEvent::RequestWelcome {
                person_id: person.account_id,
                timestamp: self.ground.now(),
                id: self.ground.ids.next(),
            },
        };
        self.integration
            .enqueue_webhook(&work, self.ground.now())
            .await?;
        self.integration.webhooks_queued();
        Ok(())
    }

    /// Send one automated reply as the business unless this key was answered already;
    /// true when sent.
    async fn auto_reply(
        &self,
        number: &AccountRow,
        person: &AccountRow,
        chat_id: i64,
        key: &str,
        kind: &str,
        content: Content,
    ) -> Result<bool> {
        if !self
            .store
            .record_reply(number.id, key, kind, person.id, self.ground.now())
            .await?
        {
            return Ok(false);
        }
        let content = fill_variables(content, person);
        let members = self.chats.members(chat_id).await?;
        self.chats
            .commit_content(number, chat_id, &members, Draft::of(content))
            .await?;
        Ok(true)
    }

    /// Put a chat in the agents' queue: pending, unassigned.
    async fn hand_off(&self, number: &AccountRow, chat_id: i64) -> Result<()> {
        self.store
            .put_inbox(&InboxRow {
                chat_id,
                business_id: number.id,
                state: "pending".into(),
                assignee_id: None,
                updated_at: self.ground.now(),
            })
            .await
    }

    /// Whether an agent of the number's WABA was active recently.
    pub async fn agent_online(&self, number: &AccountRow) -> Result<bool> {
        let Some(waba) = number.waba_id else {
            return Ok(false);
        };
        let now = self.ground.now();
        Ok(self
            .store
            .agents(waba)
            .await?
            .iter()
            .any(|a| a.last_seen.is_some_and(|t| now - t < AGENT_ONLINE_MS)))
    }
}

fn text(body: &str) -> Content {
    Content::Text {
        text: Text {
            body: body.to_string(),
            preview_url: None,
        },
    }
}

/// `{{name}}` becomes the customer's name in texts and captions.
pub(crate) fn fill_variables(mut content: Content, person: &AccountRow) -> Content {
    let fill = |s: &mut String| *s = s.replace("{{name}}", &person.display_name);
    match &mut content {
        Content::Text { text } => fill(&mut text.body),
        other => {
            if let Some(c) = other.media_mut().and_then(|m| m.caption.as_mut()) {
                fill(c);
            }
        }
    }
    content
}

fn check_text(field: &str, body: &str) -> Result<()> {
    if body.trim().is_empty() || body.chars().count() > crate::chats::MAX_TEXT_CHARS {
        return Err(Error::bad(format!("{field} must be 1 to 4096 characters")));
    }
    Ok(())
}

fn check_conversational(c: &ConversationalAutomation) -> Result<()> {
    if c.prompts.len() > 4
        || c.prompts
            .iter()
            .any(|p| p.trim().is_empty() || p.chars().count() > 80)
    {
        return Err(Error::bad("prompts: at most 4, each 1 to 80 characters"));
    }
    if c.commands.len() > 30 {
        return Err(Error::bad("commands: at most 30"));
    }
    for cmd in &c.commands {
        let name_ok = !cmd.command_name.is_empty()
            && cmd.command_name.len() <= 32
            && cmd
                .command_name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
        if !name_ok {
            return Err(Error::bad(format!(
                "command_name {:?} must match ^[a-zA-Z0-9_]+$ and be at most 32 characters",
                cmd.command_name
            )));
        }
        if cmd.command_description.trim().is_empty()
            || cmd.command_description.chars().count() > 256
        {
            return Err(Error::bad(
                "command_description must be 1 to 256 characters",
            ));
        }
    }
    Ok(())
}
