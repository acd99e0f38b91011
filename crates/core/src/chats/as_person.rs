//! Acting as a person, for the operator's demos and tests: a text sent from one person's
//! number to any other number through the one send path.

use super::Chats;
use crate::accounts::AccountKind;
use crate::error::{Error, Result};
use crate::phone::normalize;
use wasla_types::client::{Message, SendMessage};
use wasla_types::content::{Content, Text};

impl Chats {
    /// Send a text as a person to any number (operator tool for demos and tests).
    pub async fn person_send_text(
        &self,
        from_wa_id: &str,
        to: &str,
        text: &str,
    ) -> Result<Message> {
        let from = self
            .accounts
            .find_by_wa_id(&normalize(from_wa_id)?.wa_id)
            .await?;
        if from.kind != AccountKind::Person {
            return Err(Error::bad("the sender must be a person"));
        }
        let peer = self.accounts.find_by_wa_id(&normalize(to)?.wa_id).await?;
        let chat = self.direct_chat_with(&from, &peer).await?;
        let req = SendMessage {
            client_id: None,
            content: Content::Text {
                text: Text {
                    body: text.into(),
                    preview_url: None,
                },
            },
            context: None,
            forwarded: false,
            referral: None,
        };
        self.send(&from, &chat.id.to_string(), req).await
    }
}
