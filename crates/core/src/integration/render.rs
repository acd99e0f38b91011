//! Rendering stored webhook events into the Cloud API's payloads (one entry, one change, one
//! message or status per POST, with `metadata` and `contacts[].user_id`), and encoding them as
//! compact, ASCII-only JSON, the exact bytes that are signed and sent. Also which events must
//! reach an app in order ([`ordering_key`]): the statuses of one message to one recipient.

use super::Integration;
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::{parse_wamid, wamid};
use crate::phone::user_id;
use serde_json::json;
use sha2::{Digest, Sha256};
use wasla_types::cloud::*;
use wasla_types::content::Content;

/// A customer service window lasts 24 hours from the person's last message.
pub const SERVICE_WINDOW_MS: i64 = 24 * 3600 * 1000;

impl Integration {
    /// The payload for a stored event, or `None` if what it describes no longer exists.
    pub(crate) async fn render_webhook(
        &self,
        work: &WebhookWork,
    ) -> Result<Option<WebhookPayload>> {
        if let WebhookEvent::TemplateStatus {
            template_id,
            name,
            language,
            status,
            reason,
        } = &work.event
        {
            let Some(waba_id) = work.waba_id else {
                return Ok(None);
            };
            let mut value = json!({
                "event": status,
                "message_template_id": template_id,
                "message_template_name": name,
                "message_template_language": language,
                "reason": reason,
            });
            // Some SDKs reject any change without metadata; name the WABA's first number.
            if let Some(n) = self.business.phone_numbers(waba_id).await?.first() {
                value["metadata"] =
                    json!({"display_phone_number": n.wa_id, "phone_number_id": n.id.to_string()});
            }
            return Ok(Some(WebhookPayload::one_change(
                waba_id,
                Some(self.ground.now() / 1000),
                "message_template_status_update",
                value,
            )));
        }
        if let WebhookEvent::WabaUpdate {
            field,
            value,
            timestamp,
        } = &work.event
        {
            let Some(waba_id) = work.waba_id else {
                return Ok(None);
            };
            let mut value = value.clone();
            // As for template updates: some SDKs reject a change without metadata.
            if value.get("metadata").is_none() {
                if let Some(n) = self.business.phone_numbers(waba_id).await?.first() {
                    value["metadata"] = json!({"display_phone_number": n.wa_id,
                                               "phone_number_id": n.id.to_string()});
                }
            }
            return Ok(Some(WebhookPayload::one_change(
                waba_id,
                Some(timestamp / 1000),
                field,
                value,
            )));
        }
        let Some(business) = self.accounts.identity(work.business_id).await? else {
            return Ok(None);
        };
        let Some(waba_id) = business.waba_id else {
            return Ok(None);
        };
        let metadata = Metadata {
            display_phone_number: business.wa_id.clone(),
            phone_number_id: business.id.to_string(),
        };
        let value = match &work.event {
            WebhookEvent::RequestWelcome {
                person_id,
                timestamp,
                id,
            } => {
                let Some(person) = self.accounts.account(*person_id).await? else {
                    return Ok(None);
                };
                return Ok(Some(super::welcome::request_welcome(
                    waba_id, metadata, &person, *timestamp, *id,
                )));
            }
            WebhookEvent::Message { message_id } => {
                let Some(m) = self.chats.message(*message_id).await? else {
                    return Ok(None);
                };
                // A person the number blocked reaches no webhook.
                if self.inbound_withheld(business.id, m.sender_id).await? {
                    return Ok(None);
                }
                let Some(person) = self.accounts.account(m.sender_id).await? else {
                    return Ok(None);
                };
                let contact = WebhookContact {
                    profile: Some(WebhookProfile {
                        name: person.display_name.clone(),
                    }),
                    wa_id: person.wa_id.clone(),
                    user_id: user_id(&person.wa_id),
                };
                let referral = m.context.as_ref().and_then(|c| c.referral.clone());
                let quotes = m.context.as_ref().filter(|c| {
                    !c.message_id.is_empty() || c.referred_product.is_some() || c.status.is_some()
                });
                let context = match (quotes, m.forwarded) {
                    (Some(c), _) => Some(InboundContext {
                        from: c.from.clone().unwrap_or_else(|| business.wa_id.clone()),
                        id: c.message_id.clone(),
                        forwarded: None,
                        referred_product: c.referred_product.clone(),
                    }),
                    (None, true) => Some(InboundContext {
                        from: String::new(),
                        id: String::new(),
                        forwarded: Some(true),
                        referred_product: None,
                    }),
                    (None, false) => None,
                };
                let message = InboundMessage {
                    from: person.wa_id.clone(),
                    from_user_id: user_id(&person.wa_id),
                    id: wamid(m.id),
                    timestamp: (m.created_at / 1000).to_string(),
                    content: inbound_content(m.content.clone()),
                    context,
                    referral: referral.map(|r| *r),
                };
                MessagesValue {
                    messaging_product: "whatsapp".into(),
                    metadata,
                    contacts: vec![contact],
                    messages: vec![message],
                    statuses: vec![],
                }
            }
            WebhookEvent::TemplateStatus { .. } | WebhookEvent::WabaUpdate { .. } => {
                return Ok(None)
            }
            WebhookEvent::Payment {
                payment_id,
                status,
                timestamp,
            } => {
                let Some(payments) = self.payment_statuses.get() else {
                    return Ok(None);
                };
                return payments
                    .render(waba_id, metadata, *payment_id, status, *timestamp)
                    .await;
            }
            WebhookEvent::Status {
                message_id,
                wamid,
                recipient_id,
                recipient_wa_id,
                status,
                timestamp,
                error_code,
                category,
                callback_data,
            } => {
                let (window_start, recipient_wa_id) = match recipient_id {
                    Some(p) => {
                        let wa_id = match self.accounts.identity(*p).await? {
                            Some(a) => a.wa_id,
                            None => recipient_wa_id.clone(),
                        };
                        (self.chats.last_inbound(business.id, *p).await?, wa_id)
                    }
                    None => (None, recipient_wa_id.clone()),
                };
                let recipient_wa_id = &recipient_wa_id;
                let failed = status == "failed";
                let category = category.clone().unwrap_or_else(|| "service".into());
                let in_window = window_start.is_some_and(|w| *timestamp - w < SERVICE_WINDOW_MS);
                let pricing = match failed {
                    true => None,
                    false => {
                        let p = self
                            .status_pricing(*message_id, *recipient_id, &category, in_window)
                            .await?;
                        Some(Pricing {
                            billable: p.billable,
                            pricing_model: p.pricing_model,
                            kind: p.kind,
                            category: p.category,
                        })
                    }
                };
                let conversation = match (failed, window_start) {
                    (false, Some(start)) if in_window => Some(Conversation {
                        id: conversation_id(business.id, recipient_wa_id, start),
                        expiration_timestamp: (status == "sent")
                            .then(|| ((start + SERVICE_WINDOW_MS) / 1000).to_string()),
                        origin: Origin {
                            kind: category.clone(),
                        },
                    }),
                    _ => None,
                };
                let status = Status {
                    id: wamid.clone(),
                    status: status.clone(),
                    timestamp: (timestamp / 1000).to_string(),
                    recipient_id: recipient_wa_id.clone(),
                    recipient_user_id: user_id(recipient_wa_id),
                    biz_opaque_callback_data: callback_data.clone(),
                    conversation,
                    pricing,
                    errors: error_code.map(status_error).into_iter().collect(),
                };
                let contact = WebhookContact {
                    profile: None,
                    wa_id: recipient_wa_id.clone(),
                    user_id: user_id(recipient_wa_id),
                };
                MessagesValue {
                    messaging_product: "whatsapp".into(),
                    metadata,
                    contacts: vec![contact],
                    messages: vec![],
                    statuses: vec![status],
                }
            }
        };
        let value = serde_json::to_value(value).map_err(Error::internal)?;
        Ok(Some(WebhookPayload::one_change(
            waba_id, None, "messages", value,
        )))
    }
}

/// The key that orders an event's deliveries to each app: `(subject, recipient)`, where the
/// subject is the message (or payment) whose status it reports and the recipient the account
/// it reached (0 when there is none). An app gets the rows of one key one at a time, in the
/// order they were queued (`sent` before `delivered` before `read`), while rows of other keys
/// go on without waiting for them. Other events are not ordered (`None`).
pub fn ordering_key(work: &WebhookWork) -> Option<(i64, i64)> {
    match &work.event {
        WebhookEvent::Status {
            message_id,
            wamid,
            recipient_id,
            ..
        } => {
            let subject = message_id.or_else(|| parse_wamid(wamid))?;
            Some((subject, recipient_id.unwrap_or(0)))
        }
        WebhookEvent::Payment { payment_id, .. } => Some((*payment_id, 0)),
        WebhookEvent::Message { .. }
        | WebhookEvent::TemplateStatus { .. }
        | WebhookEvent::WabaUpdate { .. }
        | WebhookEvent::RequestWelcome { .. } => None,
    }
}

/// Inbound media carries no link or size, as Meta's webhooks do.
fn inbound_content(mut content: Content) -> Content {
    if let Some(m) = content.media_mut() {
        m.link = None;
        m.file_size = None;
    }
    content
}

/// PMP pricing of a message of `category` that was not rated (billing's rating is off, or a
/// message from before it): service messages are free; utility ones are free inside the
/// customer service window.
pub(super) fn pricing_for(category: &str, in_window: bool) -> super::StatusPricing {
    let free = category == "service" || (category == "utility" && in_window);
    super::StatusPricing {
        billable: !free,
        pricing_model: "PMP".into(),
        kind: if free {
            "free_customer_service".into()
        } else {
            "regular".into()
        },
        category: category.into(),
    }
}

/// A stable id for one window between a number and a person.
fn conversation_id(business: i64, wa_id: &str, start: i64) -> String {
    hex::encode(&Sha256::digest(format!("{business}:{wa_id}:{start}"))[..16])
}

/// The error object of a failed status, for the asynchronous failures the server reports.
pub(crate) fn status_error(code: i64) -> StatusError {
    let (title, details) = match code {
        131047 => ("Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."),
        131026 => ("Message undeliverable", "The recipient is not a person on this server, or cannot receive messages from this number."),
        131053 => ("Media upload error", "The media could not be fetched or is not acceptable."),
        131048 => ("Spam rate limit hit", "Messaging limit reached: the business portfolio has sent business-initiated messages to as many unique people in the last 24 hours as its messaging limit tier allows."),
        131050 => ("Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.", "The recipient opted out of this business's marketing messages."),
        _ => ("Something went wrong", "The message could not be delivered."),
    };
    StatusError {
        code,
        title: title.into(),
        message: title.into(),
        error_data: StatusErrorData {
            details: details.into(),
        },
    }
}

/// Compact JSON with every non-ASCII character escaped as `\uXXXX` (lowercase hex, surrogate
/// pairs beyond the BMP), the form both Meta and SDKs that re-escape before verifying expect.
pub fn ascii_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let text = serde_json::to_string(value).map_err(Error::internal)?;
    if text.is_ascii() {
        return Ok(text.into_bytes());
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    Ok(out.into_bytes())
}

/// The `X-Hub-Signature-256` value for a body: `sha256=` + lowercase hex HMAC-SHA256.
pub fn signature(app_secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_ascii_with_lowercase_escapes() {
        let bytes = ascii_json(&json!({"t": "héllo 👍"})).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"t":"h\u00e9llo \ud83d\udc4d"}"#
        );
        assert_eq!(
            ascii_json(&json!({"t": "hello"})).unwrap(),
            br#"{"t":"hello"}"#
        );
        let sig = signature("secret", b"{}");
        assert!(
            sig.starts_with("sha256=")
                && sig[7..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        );
    }

    #[test]
    fn statuses_are_ordered_per_message_and_recipient() {
        let status =
            |message_id: Option<i64>, wamid: String, recipient_id, status: &str| WebhookWork {
                business_id: 1,
                waba_id: None,
                event: WebhookEvent::Status {
                    message_id,
                    wamid,
                    recipient_id,
                    recipient_wa_id: String::new(),
                    status: status.into(),
                    timestamp: 0,
                    error_code: None,
                    category: None,
                    callback_data: None,
                },
            };
        let sent = status(Some(42), wamid(42), Some(7), "sent");
        let read = status(Some(42), wamid(42), Some(7), "read");
        assert_eq!(ordering_key(&sent), Some((42, 7)));
        assert_eq!(ordering_key(&sent), ordering_key(&read));
        // Another recipient of the same message has an order of its own.
        assert_eq!(
            ordering_key(&status(Some(42), wamid(42), Some(8), "read")),
            Some((42, 8))
        );
        // A send that failed before it was stored: its wamid names the row id.
        assert_eq!(
            ordering_key(&status(None, wamid(99), None, "failed")),
            Some((99, 0))
        );
        assert_eq!(
            ordering_key(&status(None, "wamid.other".into(), None, "failed")),
            None
        );
        let inbound = WebhookWork {
            business_id: 1,
            waba_id: None,
            event: WebhookEvent::Message { message_id: 5 },
        };
        assert_eq!(ordering_key(&inbound), None);
    }
}
