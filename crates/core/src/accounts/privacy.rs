//! Privacy: who sees what of a person's profile. Following WhatsApp, someone who only knows a
//! person's number (a stranger: they share no chat) sees their name and number; those who
//! share a chat with them see their photo, about line and last seen (with online) as the
//! person's settings allow: `everyone` (everyone who shares a chat with them), `contacts`
//! (those who have a direct chat with them) or `nobody`. A person always sees all of their
//! own profile, and business numbers are public: everyone sees all of theirs.

use super::{AccountKind, AccountRow, Accounts, PrivacyRow, Relation};
use crate::error::{Error, Result};
use std::collections::HashMap;
use wasla_types::client::Account;
use wasla_types::privacy::{Privacy, PrivacyUpdate};

/// Which parts of a profile a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// Last seen and online.
    pub last_seen: bool,
    /// The profile photo.
    pub photo: bool,
    /// The about line.
    pub about: bool,
}

impl Shown {
    /// Everything (one's own profile, a business number).
    pub const ALL: Shown = Shown {
        last_seen: true,
        photo: true,
        about: true,
    };
}

impl Accounts {
    /// A person's own privacy settings.
    pub async fn privacy(&self, me: &AccountRow) -> Result<Privacy> {
        Ok(wire(&self.settings_of(me.id).await?))
    }

    /// Change one's own privacy settings: the fields given are set, the others kept.
    pub async fn set_privacy(&self, me: &AccountRow, update: PrivacyUpdate) -> Result<Privacy> {
        if me.kind != AccountKind::Person {
            return Err(Error::bad("only people have privacy settings"));
        }
        if update.last_seen.is_none() && update.photo.is_none() && update.about.is_none() {
            return Err(Error::bad(
                "give at least one of last_seen, photo and about (everyone, contacts or nobody)",
            ));
        }
        let mut row = self.settings_of(me.id).await?;
        row.last_seen = update.last_seen.unwrap_or(row.last_seen);
        row.photo = update.photo.unwrap_or(row.photo);
        row.about = update.about.unwrap_or(row.about);
        self.store
            .save_privacy(me.id, &row, self.ground.now())
            .await?;
        Ok(wire(&row))
    }

    /// `subject` as `viewer` may see them.
    pub async fn profile_for(&self, viewer: &AccountRow, subject: &AccountRow) -> Result<Account> {
        let shown = self
            .shown(viewer.id, &[subject], Relation::Stranger)
            .await?;
        Ok(self.view_shown(subject, shown_of(&shown, subject)))
    }

    /// The account with this wa_id as `viewer` may see it, or not found.
    pub async fn profile_by_wa_id(&self, viewer: &AccountRow, wa_id: &str) -> Result<Account> {
        let subject = self.find_by_wa_id(wa_id).await?;
        self.profile_for(viewer, &subject).await
    }

    /// The members of one chat as `viewer`, also a member, sees them. `known` is what the
    /// chat itself proves: [`Relation::Contact`] for a direct chat, [`Relation::SharesChat`]
    /// for a group the viewer is still in, [`Relation::Stranger`] for one they left.
    pub async fn profiles_in_chat(
        &self,
        viewer: i64,
        members: &[&AccountRow],
        known: Relation,
    ) -> Result<HashMap<i64, Account>> {
        let shown = self.shown(viewer, members, known).await?;
        Ok(members
            .iter()
            .map(|m| (m.id, self.view_shown(m, shown_of(&shown, m))))
            .collect())
    }

    /// Whether `viewer` may see `subject`'s online status and last seen.
    pub async fn may_see_presence(&self, viewer: i64, subject: &AccountRow) -> Result<bool> {
        let shown = self.shown(viewer, &[subject], Relation::Stranger).await?;
        Ok(shown_of(&shown, subject).last_seen)
    }

    /// Whether `viewer` may see media `media_id` as someone's profile photo.
    pub(crate) async fn photo_visible(&self, viewer: i64, media_id: i64) -> Result<bool> {
        let owners = self.store.photo_owners(media_id).await?;
        if owners.is_empty() {
            return Ok(false);
        }
        let rows = self.store.accounts(&owners).await?;
        let subjects: Vec<&AccountRow> =
            rows.iter().filter(|a| a.photo == Some(media_id)).collect();
        let shown = self.shown(viewer, &subjects, Relation::Stranger).await?;
        Ok(subjects.iter().any(|s| shown_of(&shown, s).photo))
    }

    /// What `viewer` may see of each subject, knowing they relate at least as `known`. Only
    /// the people whose settings ask for more than `known` proves cost a look at their chats.
    async fn shown(
        &self,
        viewer: i64,
        subjects: &[&AccountRow],
        known: Relation,
    ) -> Result<HashMap<i64, Shown>> {
        let people: Vec<i64> = subjects
            .iter()
            .filter(|s| s.kind == AccountKind::Person && s.id != viewer)
            .map(|s| s.id)
            .collect();
        if people.is_empty() {
            return Ok(HashMap::new());
        }
        let settings: HashMap<i64, PrivacyRow> = self
            .store
            .privacy_settings(&people)
            .await?
            .into_iter()
            .collect();
        let settings_of = |id: i64| settings.get(&id).copied().unwrap_or_default();
        let unsure: Vec<i64> = people
            .iter()
            .copied()
            .filter(|id| {
                let s = settings_of(*id);
                [s.last_seen, s.photo, s.about]
                    .iter()
                    .any(|a| !known.reaches(*a) && Relation::Contact.reaches(*a))
            })
            .collect();
        let mut relations: HashMap<i64, Relation> = HashMap::new();
        if !unsure.is_empty() {
            relations.extend(self.store.relations(viewer, &unsure).await?);
        }
        Ok(people
            .into_iter()
            .map(|id| {
                let rel = relations.get(&id).copied().unwrap_or(known).max(known);
                let s = settings_of(id);
                let shown = Shown {
                    last_seen: rel.reaches(s.last_seen),
                    photo: rel.reaches(s.photo),
                    about: rel.reaches(s.about),
                };
                (id, shown)
            })
            .collect())
    }

    /// One account's settings, the defaults if they never saved any.
    async fn settings_of(&self, id: i64) -> Result<PrivacyRow> {
        Ok(self
            .store
            .privacy_settings(&[id])
            .await?
            .into_iter()
            .next()
            .map(|(_, row)| row)
            .unwrap_or_default())
    }
}

/// What a viewer may see of `subject`: everything unless [`Accounts::shown`] judged them (a
/// person other than the viewer).
fn shown_of(shown: &HashMap<i64, Shown>, subject: &AccountRow) -> Shown {
    shown.get(&subject.id).copied().unwrap_or(Shown::ALL)
}

/// The wire form of stored settings.
fn wire(row: &PrivacyRow) -> Privacy {
    Privacy {
        last_seen: row.last_seen,
        photo: row.photo,
        about: row.about,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasla_types::privacy::Audience;

    #[test]
    fn relations_reach_audiences() {
        use Relation::*;
        for (rel, everyone, contacts) in [
            (Stranger, false, false),
            (SharesChat, true, false),
            (Contact, true, true),
        ] {
            assert_eq!(rel.reaches(Audience::Everyone), everyone, "{rel:?}");
            assert_eq!(rel.reaches(Audience::Contacts), contacts, "{rel:?}");
            assert!(!rel.reaches(Audience::Nobody), "{rel:?}");
        }
    }
}
