//! Contacts: a person's contacts are the people they have a direct chat with plus the people
//! on their editable list. A person adds a registered person to the list by number and takes
//! them off again; having a chat keeps someone a contact whatever the list says. Status
//! audiences are built from contacts, so this is also where the other side is asked: whose
//! contacts include me, and who chats with a business's numbers.

use super::{AccountKind, AccountRow, Accounts, ContactRow, PeerRow};
use crate::error::{Error, Result};
use wasla_types::status::Contact;

impl Accounts {
    /// My contacts, by name.
    pub async fn contacts(&self, owner: i64) -> Result<Vec<ContactRow>> {
        self.store.contacts(owner).await
    }

    /// My contacts as the client API shows them.
    pub async fn contact_views(&self, owner: i64) -> Result<Vec<Contact>> {
        Ok(self
            .contacts(owner)
            .await?
            .into_iter()
            .map(|c| Contact {
                wa_id: c.wa_id,
                name: c.name,
                in_list: c.in_list,
                has_chat: c.has_chat,
            })
            .collect())
    }

    /// Put the registered person with this number on my list.
    pub async fn add_contact(&self, owner: &AccountRow, wa_id: &str) -> Result<Contact> {
        let other = self.person_by_number(wa_id).await?;
        if other.id == owner.id {
            return Err(Error::bad("you cannot add yourself to your contacts"));
        }
        self.store
            .add_contact(owner.id, other.id, self.ground.now())
            .await?;
        let has_chat = self
            .contacts(owner.id)
            .await?
            .iter()
            .any(|c| c.id == other.id && c.has_chat);
        Ok(Contact {
            wa_id: other.wa_id,
            name: other.display_name,
            in_list: true,
            has_chat,
        })
    }

    /// Take the person with this number off my list.
    pub async fn remove_contact(&self, owner: &AccountRow, wa_id: &str) -> Result<()> {
        let other = self.person_by_number(wa_id).await?;
        if !self.store.remove_contact(owner.id, other.id).await? {
            return Err(Error::not_found("that number is not on your contact list"));
        }
        Ok(())
    }

    /// The people whose contacts include `contact`.
    pub async fn contact_owners(&self, contact: i64) -> Result<Vec<i64>> {
        self.store.contact_owners(contact).await
    }

    /// The accounts I have a direct chat with.
    pub async fn direct_peers(&self, account: i64) -> Result<Vec<PeerRow>> {
        self.store.direct_peers(account).await
    }

    /// The people with a direct chat with any of these accounts (a business's numbers).
    pub async fn people_chatting_with(&self, accounts: &[i64]) -> Result<Vec<i64>> {
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        self.store.people_chatting_with(accounts).await
    }

    async fn person_by_number(&self, wa_id: &str) -> Result<AccountRow> {
        let digits = wa_id.trim().trim_start_matches('+');
        match self.store.account_by_wa_id(digits).await? {
            Some(a) if a.kind == AccountKind::Person => Ok(a),
            _ => Err(Error::not_found(format!(
                "no person is registered as {digits}"
            ))),
        }
    }
}
