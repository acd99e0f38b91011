//! An account as others see it in the client API: profile fields, and last seen unless it is
//! online on this node. What a particular viewer may see of a person is decided in
//! `privacy.rs`; the parts they may not see come out empty.

use super::privacy::Shown;
use super::{AccountRow, Accounts};
use wasla_types::client::Account;

impl Accounts {
    /// An account with everything shown: as its owner sees it, or a business number as anyone
    /// does (presence from this node's view). For a person seen by someone else, use
    /// [`Accounts::profile_for`], which applies their privacy settings.
    pub fn account_view(&self, row: &AccountRow) -> Account {
        self.view_shown(row, Shown::ALL)
    }

    /// An account with only the parts in `shown` filled in.
    pub(crate) fn view_shown(&self, row: &AccountRow, shown: Shown) -> Account {
        let online = shown.last_seen && self.presence.is_online(row.id);
        Account {
            wa_id: row.wa_id.clone(),
            phone: row.phone.clone(),
            kind: row.kind.as_str().into(),
            display_name: row.display_name.clone(),
            about: if shown.about {
                row.about.clone()
            } else {
                String::new()
            },
            photo: row.photo.filter(|_| shown.photo).map(|p| p.to_string()),
            verified_name: row.verified_name.clone(),
            last_seen: if online || !shown.last_seen {
                None
            } else {
                row.last_seen
            },
        }
    }
}
