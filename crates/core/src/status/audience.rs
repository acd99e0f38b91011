//! Who sees a Status update. A person's update goes to their contacts (people with a direct
//! chat with them, or on their list), all of them, all but some, or only some; the wa_ids named
//! must be contacts. A business's update goes to everyone with a direct chat with one of its
//! WABA's numbers. An update keeps its audience as posted, but membership is judged on read,
//! so posting writes one row whatever the number of contacts.

use super::{AudienceRow, Status, StatusRow};
use crate::accounts::{AccountKind, AccountRow};
use crate::error::{Error, Result};
use std::collections::HashMap;
use wasla_types::status::{Audience, AudienceMode};

impl Status {
    /// My default audience for my next updates.
    pub async fn default_audience(&self, me: &AccountRow) -> Result<Audience> {
        let row = self
            .store
            .default_audience(me.id)
            .await?
            .unwrap_or(AudienceRow::Contacts);
        self.audience_view(&row).await
    }

    /// Change my default audience; a wa_id that is not my contact changes nothing.
    pub async fn set_default_audience(&self, me: &AccountRow, a: &Audience) -> Result<Audience> {
        let row = self.resolve_audience(me, a).await?;
        self.store.put_default_audience(me.id, &row).await?;
        self.audience_view(&row).await
    }

    /// Check an audience against my contacts and turn its wa_ids into account ids.
    pub(super) async fn resolve_audience(
        &self,
        me: &AccountRow,
        a: &Audience,
    ) -> Result<AudienceRow> {
        let contacts: HashMap<String, i64> = self
            .accounts
            .contacts(me.id)
            .await?
            .into_iter()
            .map(|c| (c.wa_id, c.id))
            .collect();
        let mut ids = Vec::with_capacity(a.wa_ids.len());
        for w in &a.wa_ids {
            let digits = w.trim().trim_start_matches('+');
            let id = contacts
                .get(digits)
                .ok_or_else(|| Error::bad(format!("{digits} is not one of your contacts")))?;
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        match a.mode {
            // Checked above all the same; `contacts` names nobody, so they are dropped.
            AudienceMode::Contacts => Ok(AudienceRow::Contacts),
            AudienceMode::ContactsExcept => Ok(AudienceRow::Except(ids)),
            AudienceMode::OnlyShareWith if ids.is_empty() => Err(Error::bad(
                "only_share_with needs at least one contact in wa_ids",
            )),
            AudienceMode::OnlyShareWith => Ok(AudienceRow::Only(ids)),
        }
    }

    /// An audience with wa_ids, as the client API shows it.
    pub(super) async fn audience_view(&self, row: &AudienceRow) -> Result<Audience> {
        let mode = match row {
            AudienceRow::Except(_) => AudienceMode::ContactsExcept,
            AudienceRow::Only(_) => AudienceMode::OnlyShareWith,
            _ => AudienceMode::Contacts,
        };
        let wa_ids = self
            .accounts
            .accounts(row.ids())
            .await?
            .into_iter()
            .map(|a| a.wa_id)
            .collect();
        Ok(Audience { mode, wa_ids })
    }

    /// Whether `viewer` may see an update now (its author always may, until it expires).
    pub(super) async fn can_see(&self, viewer: &AccountRow, row: &StatusRow) -> Result<bool> {
        if row.expires_at <= self.ground.now() {
            return Ok(false);
        }
        if viewer.id == row.author_id {
            return Ok(true);
        }
        if viewer.kind != AccountKind::Person {
            return Ok(false);
        }
        if let Some(waba) = row.waba_id {
            return Ok(self
                .accounts
                .direct_peers(viewer.id)
                .await?
                .iter()
                .any(|p| p.kind == AccountKind::Business && p.waba_id == Some(waba)));
        }
        if !row.audience.admits_contact(viewer.id) {
            return Ok(false);
        }
        Ok(self
            .accounts
            .contact_owners(viewer.id)
            .await?
            .contains(&row.author_id))
    }

    /// Everyone who may see an update besides its author (for live frames).
    pub(super) async fn audience_members(&self, row: &StatusRow) -> Result<Vec<i64>> {
        if let Some(waba) = row.waba_id {
            let numbers: Vec<i64> = self
                .business
                .phone_numbers(waba)
                .await?
                .iter()
                .map(|n| n.id)
                .collect();
            return self.accounts.people_chatting_with(&numbers).await;
        }
        Ok(self
            .accounts
            .contacts(row.author_id)
            .await?
            .into_iter()
            .map(|c| c.id)
            .filter(|id| row.audience.admits_contact(*id))
            .collect())
    }
}
