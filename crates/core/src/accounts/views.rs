//! An account as others see it in the client API: profile fields, and last seen unless it is
//! online on this node.

use super::{AccountRow, Accounts};
use wasla_types::client::Account;

impl Accounts {
    /// An account as others see it (presence from this node's view).
    pub fn account_view(&self, row: &AccountRow) -> Account {
        let online = self.presence.is_online(row.id);
        Account {
            wa_id: row.wa_id.clone(),
            phone: row.phone.clone(),
            kind: row.kind.as_str().into(),
            display_name: row.display_name.clone(),
            about: row.about.clone(),
            photo: row.photo.map(|p| p.to_string()),
            verified_name: row.verified_name.clone(),
            last_seen: if online { None } else { row.last_seen },
        }
    }
}
