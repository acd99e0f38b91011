//! The agent's composer beyond text: what a chat's composer may offer (whether the 24-hour
//! customer service window is open, the WABA's approved templates), attachments uploaded as
//! the chat's business number, and templates sent when the window is closed. Uploads and
//! templates follow the Cloud API's own rules (media types and sizes, template names,
//! languages and parameters), so the console accepts exactly what the Cloud API accepts.

use super::{AgentRow, InboxRow, Tools};
use crate::chats::ReceiptStatus;
use crate::error::{Error, Result};
use crate::ids::parse_wamid;
use crate::integration::{TemplateFilter, SERVICE_WINDOW_MS};
use serde_json::Value;
use wasla_types::client::Message;
use wasla_types::cloud::SendRequest;
use wasla_types::compose::ComposeInfo;
use wasla_types::content::Content;
use wasla_types::interactive::TemplateMessage;

/// Most templates the composer offers.
const MAX_TEMPLATES: i64 = 100;

impl Tools {
    /// The window and the approved templates of a customer chat's composer (payment
    /// providers are the commerce domain's to add).
    pub async fn compose_info(&self, me: &AgentRow, chat_id: &str) -> Result<ComposeInfo> {
        let c = self.customer_chat(me, chat_id).await?;
        let last = self.chats.last_inbound(c.number.id, c.person.id).await?;
        let closes = last.map(|t| t + SERVICE_WINDOW_MS);
        let open = closes.is_some_and(|t| self.ground.now() < t);
        let filter = TemplateFilter {
            status: Some("APPROVED".into()),
            ..Default::default()
        };
        let (templates, _, _) = self
            .integration
            .list_templates(me.waba_id, &filter, None, MAX_TEMPLATES)
            .await?;
        Ok(ComposeInfo {
            window_open: open,
            window_closes_at: closes.filter(|_| open),
            templates,
            providers: vec![],
        })
    }

    /// Upload an attachment as the chat's business number (checked as Cloud API uploads are:
    /// sniffed type, per-type size limit); answers `{"id": …}` for a media message.
    pub async fn compose_upload(
        &self,
        me: &AgentRow,
        chat_id: &str,
        bytes: &[u8],
        declared: Option<&str>,
        filename: Option<&str>,
    ) -> Result<Value> {
        let c = self.customer_chat(me, chat_id).await?;
        self.integration
            .cloud_upload(&c.number, bytes, declared, filename)
            .await
    }

    /// Send an approved template to the customer as the Cloud API does (allowed whether or
    /// not the window is open); an unassigned chat becomes the sending agent's.
    pub async fn compose_template(
        &self,
        me: &AgentRow,
        chat_id: &str,
        template: TemplateMessage,
    ) -> Result<Message> {
        let c = self.customer_chat(me, chat_id).await?;
        let req = SendRequest {
            messaging_product: "whatsapp".into(),
            recipient_type: None,
            to: Some(c.person.wa_id.clone()),
            recipient: None,
            content: Content::Template {
                template: Box::new(template),
            },
            context: None,
            biz_opaque_callback_data: None,
        };
        let sent = self.integration.cloud_send(&c.number, req).await?;
        let missing = || Error::internal("the template was accepted but not stored");
        let id = sent
            .messages
            .first()
            .and_then(|m| parse_wamid(&m.id))
            .ok_or_else(missing)?;
        let msg = self.chats.message(id).await?.ok_or_else(missing)?;
        let row = InboxRow {
            chat_id: c.chat.id,
            business_id: c.number.id,
            state: "open".into(),
            assignee_id: Some(me.id),
            updated_at: self.ground.now(),
        };
        self.store.claim_inbox(&row, None).await?;
        Ok(self.chats.message_view(&msg, Some(ReceiptStatus::Sent)))
    }
}
