//! The Cloud API as a business number sees it: business tokens and tenancy, sending to a
//! person through the one send path, the 24-hour customer service window, failures reported
//! asynchronously as `failed` status webhooks, and mark-as-read with the typing indicator.

use super::render::SERVICE_WINDOW_MS;
use super::FailedSendRow;
use super::Integration;
use crate::accounts::{AccountKind, AccountRow};
use crate::bus::{BusMessage, Topic};
use crate::chats::Draft;
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::{parse_wamid, wamid};
use crate::phone::normalize;
use wasla_types::cloud::{MarkRead, SendContact, SendRequest, SendResponse, SentMessage};
use wasla_types::content::{Content, MessageContext};

/// Longest `biz_opaque_callback_data`.
const MAX_CALLBACK_DATA: usize = 512;

impl Integration {
    /// `POST /{phone-number-id}/messages` with a message.
    pub async fn cloud_send(&self, number: &AccountRow, req: SendRequest) -> Result<SendResponse> {
        if req.messaging_product != "whatsapp" {
            return Err(Error::invalid_param(
                "messaging_product must be \"whatsapp\"",
            ));
        }
        if req
            .recipient_type
            .as_deref()
            .is_some_and(|t| t != "individual")
        {
            return Err(Error::invalid_param(
                "recipient_type must be \"individual\" (groups are not supported yet)",
            ));
        }
        if req
            .biz_opaque_callback_data
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_CALLBACK_DATA)
        {
            return Err(Error::invalid_param(
                "biz_opaque_callback_data is longer than 512 characters",
            ));
        }
        // Templates are checked and rendered before the send is accepted.
        let mut req = req;
        let mut template_id = None;
        let category = match &mut req.content {
            Content::Template { template } => {
                let row = self.template_for_send(number, template).await?;
                self.render_template(number, &row, template).await?;
                template_id = Some(row.id);
                Some(row.category.to_ascii_lowercase())
            }
            _ => None,
        };
        if matches!(req.content, Content::System { .. }) {
            return Err(Error::graph(
                131051,
                400,
                "Unsupported message type",
                "Message type system is not supported.",
            ));
        }
        let input = req.to.clone().or(req.recipient.clone()).ok_or_else(|| {
            Error::graph(
                100,
                400,
                "Invalid parameter",
                "The parameter to is required.",
            )
        })?;
        let phone = normalize(input.split('.').next_back().unwrap_or(&input))
            .map_err(|_| Error::invalid_param(format!("'{input}' is not a valid phone number")))?;
        if phone.wa_id == number.wa_id {
            return Err(Error::graph(
                131021,
                400,
                "Recipient cannot be sender",
                "The recipient is this phone number itself.",
            ));
        }
        let response = |id: String| SendResponse {
            messaging_product: "whatsapp".into(),
            contacts: vec![SendContact {
                input: input.clone(),
                wa_id: phone.wa_id.clone(),
            }],
            messages: vec![SentMessage {
                id,
                message_status: category.as_ref().map(|_| "accepted".to_string()),
            }],
        };
        let known = self.accounts.identity_by_wa_id(&phone.wa_id).await?;
        self.check_send_limits(number.id, known.as_ref().map_or(0, |a| a.id))?;
        let person = match known {
            Some(p) if p.kind == AccountKind::Person => p,
            // Accepted, then reported as undeliverable, as the Cloud API does.
            _ => {
                return Ok(response(
                    self.fail_async(number, None, &phone.wa_id, 131026, &req)
                        .await?,
                ))
            }
        };
        let last = self.chats.last_inbound(number.id, person.id).await?;
        let window_closed = last.is_none_or(|t| self.ground.now() - t >= SERVICE_WINDOW_MS);
        if window_closed && category.is_none() {
            return Ok(response(
                self.fail_async(number, Some(person.id), &person.wa_id, 131047, &req)
                    .await?,
            ));
        }
        // Blocks, marketing opt-outs and the messaging limit (the billing domain's rules).
        if let Some(code) = self
            .guard_send(number, person.id, category.as_deref(), window_closed)
            .await?
        {
            return Ok(response(
                self.fail_async(number, Some(person.id), &person.wa_id, code, &req)
                    .await?,
            ));
        }
        // What each delivery will cost, or 131042 when the WABA cannot pay for it.
        let charges = match self
            .price_send(number, &person, category.as_deref(), template_id, last)
            .await?
        {
            super::PriceDecision::Charge(charges) => charges,
            super::PriceDecision::Refuse(code) => {
                return Ok(response(
                    self.fail_async(number, Some(person.id), &person.wa_id, code, &req)
                        .await?,
                ))
            }
        };
        // Media sent by link is fetched now; a link that cannot be fetched fails the send
        // asynchronously, as on the Cloud API.
        let kind = req.content.kind();
        if let Some(media) = req
            .content
            .media_mut()
            .filter(|m| m.id.is_none() && m.link.is_some())
        {
            if let Err(e) = self.fetch_link(number, kind, media).await {
                tracing::info!(error = %e, "media link not fetched");
                return Ok(response(
                    self.fail_async(number, Some(person.id), &person.wa_id, 131053, &req)
                        .await?,
                ));
            }
        }
        let chat_id = self.chats.direct_chat_id(number, &person).await?;
        let members = self.chats.cached_members(chat_id).await?;
        let context = req.context.map(|c| MessageContext {
            message_id: c.message_id,
            ..Default::default()
        });
        let draft = Draft {
            content: req.content,
            context,
            forwarded: false,
            client_id: None,
            callback_data: req.biz_opaque_callback_data,
            category: category.clone(),
            charges,
        };
        let msg = self
            .chats
            .commit_content(number, chat_id, &members, draft)
            .await
            .map_err(as_graph)?;
        Ok(response(wamid(msg.id)))
    }

    /// A send that is accepted and then fails: a wamid for the business, a `failed` status
    /// webhook, and nothing for the person.
    async fn fail_async(
        &self,
        number: &AccountRow,
        person_id: Option<i64>,
        wa_id: &str,
        code: i64,
        req: &SendRequest,
    ) -> Result<String> {
        let row_id = self.ground.ids.next();
        let id = wamid(row_id);
        // Kept for the business's console; the person never sees it.
        self.store
            .put_failed_send(&FailedSendRow {
                id: row_id,
                business_id: number.id,
                person_id,
                wa_id: wa_id.to_string(),
                wamid: id.clone(),
                kind: req.content.kind().to_string(),
                preview: req.content.preview(),
                error_code: code,
                created_at: self.ground.now(),
            })
            .await?;
        let event = WebhookEvent::Status {
            message_id: None,
            wamid: id.clone(),
            recipient_id: person_id,
            recipient_wa_id: wa_id.to_string(),
            status: "failed".into(),
            timestamp: self.ground.now(),
            error_code: Some(code),
            category: Some("service".into()),
            callback_data: req.biz_opaque_callback_data.clone(),
        };
        self.store
            .enqueue_webhook(
                &WebhookWork {
                    business_id: number.id,
                    waba_id: None,
                    event,
                },
                self.ground.now(),
            )
            .await?;
        self.webhooks_queued();
        Ok(id)
    }

    /// `POST /{phone-number-id}/messages` marking a message (and all before it) read, with an
    /// optional typing indicator.
    pub async fn cloud_mark_read(&self, number: &AccountRow, req: MarkRead) -> Result<()> {
        if req.messaging_product != "whatsapp" || req.status != "read" {
            return Err(Error::invalid_param(
                "send messaging_product \"whatsapp\" and status \"read\"",
            ));
        }
        let unknown = || Error::invalid_param(format!("message {} not found", req.message_id));
        let msg = self
            .chats
            .message(parse_wamid(&req.message_id).ok_or_else(unknown)?)
            .await?
            .ok_or_else(unknown)?;
        let me = self
            .chats
            .member(msg.chat_id, number.id)
            .await?
            .ok_or_else(unknown)?;
        self.chats
            .mark_read(number, &me.chat_id.to_string(), msg.seq)
            .await?;
        if req.typing_indicator.is_some() {
            for m in self
                .chats
                .members(msg.chat_id)
                .await?
                .iter()
                .filter(|m| m.account_id != number.id)
            {
                self.ground.bus.publish(
                    Topic::Account(m.account_id),
                    BusMessage::Typing {
                        chat_id: msg.chat_id.to_string(),
                        wa_id: number.wa_id.clone(),
                        state: "composing".into(),
                    },
                );
            }
        }
        Ok(())
    }
}

/// Content rule violations from the shared send path become Graph errors.
fn as_graph(e: Error) -> Error {
    match e {
        Error::BadRequest(details) => {
            Error::graph(131009, 400, "Parameter value is not valid", details)
        }
        other => other,
    }
}
