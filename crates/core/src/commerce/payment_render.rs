//! The `payment` status webhook: `statuses[]` with `type: "payment"`, the `order_details`
//! message's wamid, the order's reference id, the amount as `{value, offset}` and the
//! provider's transaction, as Meta's payments webhooks carry them.

use super::money;
use super::Commerce;
use crate::error::Result;
use crate::ids::wamid;
use crate::integration::PaymentStatuses;
use crate::phone::user_id;
use serde_json::json;
use wasla_types::cloud::{Metadata, WebhookPayload};

#[async_trait::async_trait]
impl PaymentStatuses for Commerce {
    async fn render(
        &self,
        waba_id: i64,
        metadata: Metadata,
        payment_id: i64,
        status: &str,
        timestamp: i64,
    ) -> Result<Option<WebhookPayload>> {
        let Some(p) = self.store.payment(payment_id).await? else {
            return Ok(None);
        };
        let Some(order) = self.store.order(p.order_id).await? else {
            return Ok(None);
        };
        let Some(person) = self.accounts.account(order.person_id).await? else {
            return Ok(None);
        };
        let offset = money::offset(&p.currency).unwrap_or(100);
        let transaction_status = match status {
            "captured" => "success",
            other => other,
        };
        let mut transaction = json!({
            "id": p.transaction_id,
            "type": p.provider,
            "status": transaction_status,
            "created_timestamp": p.created_at / 1000,
            "updated_timestamp": timestamp / 1000,
            "amount": {"value": p.amount, "offset": offset},
            "currency": p.currency,
        });
        if status == "failed" {
            transaction["error"] =
                json!({"code": "payment_failed", "reason": p.error.clone().unwrap_or_default()});
        }
        let value = json!({
            "messaging_product": "whatsapp",
            "metadata": metadata,
            "contacts": [{"wa_id": person.wa_id, "user_id": user_id(&person.wa_id)}],
            "statuses": [{
                "id": wamid(p.message_id),
                "recipient_id": person.wa_id,
                "recipient_user_id": user_id(&person.wa_id),
                "type": "payment",
                "status": status,
                "timestamp": (timestamp / 1000).to_string(),
                "payment": {
                    "reference_id": order.reference_id,
                    "amount": {"value": p.amount, "offset": offset},
                    "currency": p.currency,
                    "transaction": transaction,
                },
            }],
        });
        Ok(Some(WebhookPayload::one_change(
            waba_id, None, "messages", value,
        )))
    }
}
