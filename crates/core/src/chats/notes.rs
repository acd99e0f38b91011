//! Server-written notes that other domains record in a chat (a call's "Missed voice call"),
//! through the one send path, on behalf of a member of the chat.

use super::send::Draft;
use super::Chats;
use crate::accounts::AccountRow;
use crate::error::Result;
use wasla_types::client::Message;
use wasla_types::content::{Content, SystemNote};

impl Chats {
    /// Post `note` into the chat `chat_id` as `actor` (a member): every member sees it.
    pub async fn post_system_note(
        &self,
        actor: &AccountRow,
        chat_id: i64,
        note: SystemNote,
    ) -> Result<Message> {
        let members = self.store.members(chat_id).await?;
        let content = Content::System { system: note };
        let row = self
            .commit_content(actor, chat_id, &members, Draft::of(content))
            .await?;
        Ok(self.message_view(&row, None))
    }
}
