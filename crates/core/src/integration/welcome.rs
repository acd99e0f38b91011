//! The `request_welcome` webhook: a `messages` change whose message has type
//! `request_welcome`, sent when a person opens the chat with a business number for the first
//! time and the number's conversational automation has the welcome message on.

use crate::accounts::AccountRow;
use crate::ids::wamid;
use crate::phone::user_id;
use serde_json::json;
use wasla_types::cloud::{Metadata, WebhookPayload};

/// The payload of a `request_welcome` webhook.
pub(crate) fn request_welcome(
    waba_id: i64,
    metadata: Metadata,
    person: &AccountRow,
    timestamp: i64,
    id: i64,
) -> WebhookPayload {
    let value = json!({
        "messaging_product": "whatsapp",
        "metadata": metadata,
        "contacts": [{
            "profile": {"name": person.display_name},
            "wa_id": person.wa_id,
            "user_id": user_id(&person.wa_id),
        }],
        "messages": [{
            "from": person.wa_id,
            "from_user_id": user_id(&person.wa_id),
            "id": wamid(id),
            "timestamp": (timestamp / 1000).to_string(),
            "type": "request_welcome",
        }],
    });
    WebhookPayload::one_change(waba_id, None, "messages", value)
}
