//! The Status feed, computed on read: my own live updates, then the live updates of everyone
//! whose audience includes me (people whose contacts include me, and businesses whose numbers
//! I chat with), grouped by author, newest author first, muted authors apart. The feed is
//! assembled by [`Status::feed`] in two steps, the people's part and then the sponsored places
//! (`ads/placement.rs`), so ads extend the second without touching the first.

use super::updates::{author_of_person, CLIENT_BASE};
use super::{AudienceRow, Status, StatusRow};
use crate::accounts::{AccountKind, AccountRow};
use crate::error::Result;
use std::collections::{HashMap, HashSet};
use wasla_types::status::{AuthorUpdates, StatusFeed, StatusMute};

impl Status {
    /// My Status feed, with ads placed between its authors (`lang`: the reader's language,
    /// for the campaigns' targeting).
    pub async fn feed(&self, me: &AccountRow, lang: Option<&str>) -> Result<StatusFeed> {
        let mut feed = self.people_feed(me).await?;
        self.place_ads(me, &mut feed, lang).await?;
        Ok(feed)
    }

    /// The feed without sponsored places.
    pub async fn people_feed(&self, me: &AccountRow) -> Result<StatusFeed> {
        let now = self.ground.now();
        let authors = self.accounts.contact_owners(me.id).await?;
        let mut wabas: Vec<i64> = self
            .accounts
            .direct_peers(me.id)
            .await?
            .into_iter()
            .filter(|p| p.kind == AccountKind::Business)
            .filter_map(|p| p.waba_id)
            .collect();
        wabas.sort_unstable();
        wabas.dedup();
        let mine = self.store.live_statuses(&[me.id], &[], now).await?;
        let theirs: Vec<StatusRow> = self
            .store
            .live_statuses(&authors, &wabas, now)
            .await?
            .into_iter()
            .filter(|r| r.author_id != me.id)
            .filter(|r| r.audience == AudienceRow::Business || r.audience.admits_contact(me.id))
            .collect();
        let ids: Vec<i64> = theirs.iter().map(|r| r.id).collect();
        let views: HashMap<i64, Option<String>> = self
            .store
            .views_by(me.id, &ids)
            .await?
            .into_iter()
            .map(|v| (v.status_id, v.reaction))
            .collect();
        let muted: HashSet<i64> = self.store.status_mutes(me.id).await?.into_iter().collect();
        let names = self.authors(&theirs).await?;
        let own = author_of_person(me);
        let mut groups: Vec<(i64, AuthorUpdates)> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        for row in &theirs {
            let Some(author) = names.get(&row.author_id) else {
                continue;
            };
            let viewed = views.contains_key(&row.id);
            let reaction = views.get(&row.id).cloned().flatten();
            let update = self.update_view(row, author, viewed, reaction, CLIENT_BASE);
            let i = *at.entry(row.author_id).or_insert_with(|| {
                groups.push((
                    row.author_id,
                    AuthorUpdates {
                        author: author.clone(),
                        updates: Vec::new(),
                        unseen: 0,
                        latest_at: 0,
                    },
                ));
                groups.len() - 1
            });
            let g = &mut groups[i].1;
            g.unseen += u32::from(!viewed);
            g.latest_at = g.latest_at.max(row.posted_at);
            g.updates.push(update);
        }
        groups.sort_by_key(|g| std::cmp::Reverse(g.1.latest_at));
        let (muted_groups, open): (Vec<_>, Vec<_>) =
            groups.into_iter().partition(|(id, _)| muted.contains(id));
        Ok(StatusFeed {
            mine: mine
                .iter()
                .map(|r| self.update_view(r, &own, true, None, CLIENT_BASE))
                .collect(),
            contacts: open.into_iter().map(|(_, g)| g).collect(),
            muted: muted_groups.into_iter().map(|(_, g)| g).collect(),
            ads: Vec::new(),
        })
    }

    /// Mute or unmute an author's updates in my feed.
    pub async fn set_mute(&self, me: &AccountRow, wa_id: &str, muted: bool) -> Result<StatusMute> {
        let digits = wa_id.trim().trim_start_matches('+');
        let author = self
            .accounts
            .account_by_wa_id(digits)
            .await?
            .filter(|a| a.id != me.id)
            .ok_or_else(|| crate::error::Error::not_found(format!("no account is {digits}")))?;
        self.store.set_status_mute(me.id, author.id, muted).await?;
        Ok(StatusMute {
            wa_id: author.wa_id,
            muted,
        })
    }
}
