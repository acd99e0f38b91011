//! Labels with colours and quick replies of a WABA: created and removed by business admins in
//! the console or by the operator through the admin API, used by every agent of the business.
//! A label goes on a customer chat (one number's conversation) or on a contact (the customer
//! across all of the WABA's numbers).

use super::Tools;
use super::{AgentRow, LabelRow, QuickReplyRow};
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use wasla_types::content::{Content, Media, Text};
use wasla_types::tools::{Label, QuickReply};

/// Where a label goes: one customer chat, or the customer across the WABA's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelTarget {
    /// The chat of one customer with one number.
    Chat,
    /// The customer as a contact of the WABA.
    Contact,
}

impl Tools {
    /// A WABA's labels.
    pub async fn labels(&self, waba_id: i64) -> Result<Vec<Label>> {
        Ok(self
            .store
            .labels(waba_id)
            .await?
            .iter()
            .map(|l| Label {
                id: Some(l.id.to_string()),
                name: l.name.clone(),
                color: l.color.clone(),
            })
            .collect())
    }

    /// Create a label.
    pub async fn create_label(&self, waba_id: i64, req: Label) -> Result<Label> {
        let name = req.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(Error::bad("a label name is 1 to 40 characters"));
        }
        let c = req.color.trim_start_matches('#');
        if c.len() != 6 || !c.chars().all(|ch| ch.is_ascii_hexdigit()) {
            return Err(Error::bad("color is #rrggbb"));
        }
        let row = LabelRow {
            id: self.ground.ids.next(),
            waba_id,
            name,
            color: format!("#{}", c.to_ascii_lowercase()),
            created_at: self.ground.now(),
        };
        self.store.create_label(&row).await.map_err(|e| match e {
            Error::Conflict(_) => Error::Conflict("a label with this name exists".into()),
            other => other,
        })?;
        Ok(Label {
            id: Some(row.id.to_string()),
            name: row.name,
            color: row.color,
        })
    }

    /// Delete a label of the WABA.
    pub async fn delete_label(&self, waba_id: i64, id: &str) -> Result<()> {
        let missing = || Error::not_found(format!("no label {id}"));
        let id = parse_id(id).ok_or_else(missing)?;
        if !self.store.delete_label(waba_id, id).await? {
            return Err(missing());
        }
        Ok(())
    }

    /// One of the WABA's labels, by id; anything else is not found.
    async fn label_of(&self, waba_id: i64, label: &str) -> Result<i64> {
        let missing = || Error::not_found(format!("no label {label}"));
        let id = parse_id(label).ok_or_else(missing)?;
        let labels = self.store.labels(waba_id).await?;
        labels
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.id)
            .ok_or_else(missing)
    }

    /// Put one of the WABA's labels on a customer chat or on its customer as a contact, or
    /// take it off.
    pub async fn label_customer(
        &self,
        me: &AgentRow,
        chat_id: &str,
        target: LabelTarget,
        label: &str,
        on: bool,
    ) -> Result<()> {
        let c = self.customer_chat(me, chat_id).await?;
        let id = self.label_of(me.waba_id, label).await?;
        match target {
            LabelTarget::Chat => self.store.set_chat_label(id, c.chat.id, on).await,
            LabelTarget::Contact => self.store.set_contact_label(id, c.person.id, on).await,
        }
    }

    /// The person behind a wa_id, as a contact of the WABA: someone who has a chat with one of
    /// its numbers. Anyone else is not found, so a WABA learns nothing about other people.
    async fn contact(&self, waba_id: i64, wa_id: &str) -> Result<AccountRow> {
        let missing = || Error::not_found(format!("no contact {wa_id}"));
        let person = self
            .accounts
            .account_by_wa_id(wa_id)
            .await?
            .filter(|a| a.kind == AccountKind::Person)
            .ok_or_else(missing)?;
        for number in self.business.phone_numbers(waba_id).await? {
            let key = crate::chats::direct_key(number.id, person.id);
            if self.chats.direct_chat(&key).await?.is_some() {
                return Ok(person);
            }
        }
        Err(missing())
    }

    /// Label ids on a contact of the WABA, by wa_id (the admin API).
    pub async fn contact_labels(&self, waba_id: i64, wa_id: &str) -> Result<Vec<String>> {
        let person = self.contact(waba_id, wa_id).await?;
        Ok(self
            .store
            .contact_labels(waba_id, &[person.id])
            .await?
            .iter()
            .map(|(_, l)| l.to_string())
            .collect())
    }

    /// Put a label on a contact of the WABA by wa_id, or take it off (the admin API).
    pub async fn label_contact_by_wa_id(
        &self,
        waba_id: i64,
        wa_id: &str,
        label: &str,
        on: bool,
    ) -> Result<()> {
        let person = self.contact(waba_id, wa_id).await?;
        let id = self.label_of(waba_id, label).await?;
        self.store.set_contact_label(id, person.id, on).await
    }

    /// Label ids on a chat, and on its customer as a contact of the WABA.
    pub async fn customer_labels(
        &self,
        waba_id: i64,
        chat_id: i64,
        person_id: i64,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let ids = |rows: Vec<(i64, i64)>| rows.iter().map(|(_, l)| l.to_string()).collect();
        Ok((
            ids(self.store.chat_labels(&[chat_id]).await?),
            ids(self.store.contact_labels(waba_id, &[person_id]).await?),
        ))
    }

    /// Label ids on a chat or on its customer as a contact: what filters and automations
    /// match.
    pub(crate) async fn labels_on(
        &self,
        waba_id: i64,
        chat_id: i64,
        person_id: i64,
    ) -> Result<Vec<String>> {
        let (mut ids, contact) = self.customer_labels(waba_id, chat_id, person_id).await?;
        for l in contact {
            if !ids.contains(&l) {
                ids.push(l);
            }
        }
        Ok(ids)
    }

    /// A WABA's quick replies, by shortcut.
    pub async fn quick_replies(&self, waba_id: i64) -> Result<Vec<QuickReply>> {
        Ok(self
            .store
            .quick_replies(waba_id)
            .await?
            .iter()
            .map(quick_view)
            .collect())
    }

    /// Create a quick reply, or change one (when `id` is given).
    pub async fn put_quick_reply(&self, waba_id: i64, req: QuickReply) -> Result<QuickReply> {
        let shortcut = req.shortcut.trim().trim_start_matches('/').to_lowercase();
        if shortcut.is_empty()
            || shortcut.len() > 32
            || !shortcut
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(Error::bad("a shortcut is 1 to 32 of a-z, 0-9, _ and -"));
        }
        if req.body.trim().is_empty() || req.body.chars().count() > 4096 {
            return Err(Error::bad("a quick reply's body is 1 to 4096 characters"));
        }
        let media_id = match &req.media_id {
            Some(m) => {
                let missing = || Error::bad(format!("media {m} not found"));
                let id = parse_id(m).ok_or_else(missing)?;
                let row = self.accounts.media(id).await?.ok_or_else(missing)?;
                let owners = self.business.phone_numbers(waba_id).await?;
                if !owners.iter().any(|n| n.id == row.owner_id) {
                    return Err(missing());
                }
                Some(id)
            }
            None => None,
        };
        let now = self.ground.now();
        let (id, created_at) = match &req.id {
            Some(id) => {
                let existing = self
                    .store
                    .quick_replies(waba_id)
                    .await?
                    .into_iter()
                    .find(|q| Some(q.id) == parse_id(id))
                    .ok_or_else(|| Error::not_found(format!("no quick reply {id}")))?;
                (existing.id, existing.created_at)
            }
            None => (self.ground.ids.next(), now),
        };
        let row = QuickReplyRow {
            id,
            waba_id,
            shortcut,
            body: req.body,
            media_id,
            created_at,
            updated_at: now,
        };
        self.store
            .put_quick_reply(&row)
            .await
            .map_err(|e| match e {
                Error::Conflict(_) => Error::Conflict("this shortcut is taken".into()),
                other => other,
            })?;
        Ok(quick_view(&row))
    }

    /// Delete a quick reply of the WABA.
    pub async fn delete_quick_reply(&self, waba_id: i64, id: &str) -> Result<()> {
        let missing = || Error::not_found(format!("no quick reply {id}"));
        let id = parse_id(id).ok_or_else(missing)?;
        if !self.store.delete_quick_reply(waba_id, id).await? {
            return Err(missing());
        }
        Ok(())
    }

    /// The content a quick reply sends: its text, or its media with the text as caption.
    pub async fn quick_reply_content(&self, waba_id: i64, id: &str) -> Result<Content> {
        let missing = || Error::not_found(format!("no quick reply {id}"));
        let row = self
            .store
            .quick_replies(waba_id)
            .await?
            .into_iter()
            .find(|q| Some(q.id) == parse_id(id))
            .ok_or_else(missing)?;
        let Some(media_id) = row.media_id else {
            return Ok(Content::Text {
                text: Text {
                    body: row.body,
                    preview_url: None,
                },
            });
        };
        let media = self
            .accounts
            .media(media_id)
            .await?
            .ok_or_else(|| Error::bad("the quick reply's media is gone"))?;
        let m = Media {
            id: Some(media_id.to_string()),
            caption: Some(row.body),
            ..Default::default()
        };
        Ok(match crate::accounts::MediaKind::of(&media.mime_type) {
            crate::accounts::MediaKind::Image => Content::Image { image: m },
            crate::accounts::MediaKind::Video => Content::Video { video: m },
            _ => Content::Document { document: m },
        })
    }
}

fn quick_view(q: &QuickReplyRow) -> QuickReply {
    QuickReply {
        id: Some(q.id.to_string()),
        shortcut: q.shortcut.clone(),
        body: q.body.clone(),
        media_id: q.media_id.map(|m| m.to_string()),
    }
}
