//! Payment requests an agent builds in the console: from the lines of a cart the customer sent,
//! or from products the agent picked, priced from the catalog in integer minor units (never
//! from the client), with the provider chosen among those the server is configured with. The
//! result is an `order_details` message that then goes through the one send path, where the
//! order rules (amounts, totals, reference ids) are checked and the order recorded.

use super::money;
use super::payment_provider::provider;
use super::Commerce;
use super::ProductRow;
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use crate::ids::parse_wamid;
use serde_json::{json, Value};
use wasla_types::compose::{PaymentProviderInfo, PaymentRequest, PaymentRequestItem};
use wasla_types::content::Content;

/// Most lines of a payment request (the `order_details` limit).
const MAX_LINES: usize = 100;

/// The reference id of the payment request for a cart message.
pub(crate) fn cart_reference(message_row_id: i64) -> String {
    format!("cart-{message_row_id}")
}

impl Commerce {
    /// The payment providers a payment request may name: the one the server is configured with.
    pub fn payment_providers(&self) -> Vec<PaymentProviderInfo> {
        match provider(&self.ground.config.commerce) {
            Ok(p) => vec![PaymentProviderInfo {
                id: p.name().to_string(),
                name: match p.name() {
                    "sandbox" => "Sandbox (test cards)".to_string(),
                    "payment_link" => "Payment page".to_string(),
                    other => other.to_string(),
                },
            }],
            Err(_) => vec![],
        }
    }

    /// Build the `order_details` message asking `person` to pay, in chat `chat_id` with the
    /// business number `number`.
    pub async fn payment_request(
        &self,
        number: &AccountRow,
        person: &AccountRow,
        chat_id: i64,
        req: &PaymentRequest,
    ) -> Result<Content> {
        let providers = self.payment_providers();
        let chosen = match &req.provider {
            Some(p) => providers
                .iter()
                .find(|x| &x.id == p)
                .ok_or_else(|| {
                    Error::bad(format!(
                        "payment provider {p:?} is not configured; choose one of: {}",
                        names(&providers)
                    ))
                })?
                .id
                .clone(),
            None => providers
                .first()
                .ok_or_else(|| Error::bad("no payment provider is configured"))?
                .id
                .clone(),
        };
        let (items, reference) = match &req.cart_message_id {
            Some(id) => {
                if !req.items.is_empty() {
                    return Err(Error::bad("send a cart_message_id or items, not both"));
                }
                self.cart_items(person, chat_id, id).await?
            }
            None => (req.items.clone(), format!("pay-{}", self.ground.ids.next())),
        };
        if items.is_empty() || items.len() > MAX_LINES {
            return Err(Error::bad(format!(
                "a payment request has 1 to {MAX_LINES} products"
            )));
        }
        let catalog = self
            .store
            .catalog_of_waba(number.waba_id.unwrap_or_default())
            .await?
            .ok_or_else(|| Error::bad("this business has no catalog"))?;
        let mut products: Vec<(ProductRow, i64)> = vec![];
        for it in &items {
            if !(1..=9999).contains(&it.quantity) {
                return Err(Error::bad("quantity must be 1 to 9999"));
            }
            if products
                .iter()
                .any(|(p, _)| p.retailer_id == it.retailer_id)
            {
                return Err(Error::bad(format!(
                    "product {:?} is listed twice",
                    it.retailer_id
                )));
            }
            let p = self
                .store
                .product_by_retailer_id(catalog.id, &it.retailer_id)
                .await?
                .ok_or_else(|| {
                    Error::bad(format!(
                        "product {:?} is not in the catalog",
                        it.retailer_id
                    ))
                })?;
            products.push((p, it.quantity));
        }
        let currency = products[0].0.currency.clone();
        if products.iter().any(|(p, _)| p.currency != currency) {
            return Err(Error::bad(
                "every product of a payment request must have the same currency",
            ));
        }
        let offset = money::offset(&currency)?;
        let amount = |v: i64| json!({"value": v, "offset": offset});
        let mut subtotal: i64 = 0;
        let mut lines: Vec<Value> = vec![];
        for (p, qty) in &products {
            subtotal = p
                .unit_price()
                .checked_mul(*qty)
                .and_then(|l| subtotal.checked_add(l))
                .ok_or_else(|| Error::bad("amounts are too large"))?;
            let mut line = json!({"retailer_id": p.retailer_id, "name": p.name,
                "amount": amount(p.price), "quantity": qty});
            if let Some(sale) = p.sale_price {
                line["sale_amount"] = amount(sale);
            }
            lines.push(line);
        }
        if req.shipping < 0 {
            return Err(Error::bad("shipping must not be negative"));
        }
        let total = subtotal
            .checked_add(req.shipping)
            .ok_or_else(|| Error::bad("amounts are too large"))?;
        if let Some(expected) = req.expected_total {
            if expected != total {
                return Err(Error::bad(format!(
                    "the total shown was {} but the catalog's prices add up to {}",
                    money::format(expected, &currency),
                    money::format(total, &currency)
                )));
            }
        }
        let body = req
            .body
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("Your order comes to {}.", money::format(total, &currency)));
        let mut order = json!({"status": "pending", "items": lines, "subtotal": amount(subtotal)});
        if req.shipping > 0 {
            order["shipping"] = amount(req.shipping);
        }
        let interactive = json!({"type": "order_details", "body": {"text": body},
            "action": {"name": "review_and_pay", "parameters": {
                "reference_id": reference, "type": "physical-goods", "payment_type": "wasla",
                "payment_settings": [{"type": "payment_gateway",
                    "payment_gateway": {"type": chosen, "configuration_name": chosen}}],
                "currency": currency, "total_amount": amount(total), "order": order}}});
        serde_json::from_value(json!({"type": "interactive", "interactive": interactive}))
            .map_err(|e| Error::internal(e.to_string()))
    }

    /// The lines of a cart `person` sent in chat `chat_id`, and its payment reference.
    async fn cart_items(
        &self,
        person: &AccountRow,
        chat_id: i64,
        message_id: &str,
    ) -> Result<(Vec<PaymentRequestItem>, String)> {
        let missing = || Error::not_found("no cart with that id in this chat");
        let msg = self
            .chats
            .message(parse_wamid(message_id).ok_or_else(missing)?)
            .await?
            .filter(|m| m.chat_id == chat_id && m.sender_id == person.id)
            .ok_or_else(missing)?;
        let Content::Order { order } = &msg.content else {
            return Err(missing());
        };
        let items = order
            .product_items
            .iter()
            .map(|i| PaymentRequestItem {
                retailer_id: i.product_retailer_id.clone(),
                quantity: i.quantity,
            })
            .collect();
        Ok((items, cart_reference(msg.id)))
    }
}

fn names(p: &[PaymentProviderInfo]) -> String {
    p.iter()
        .map(|x| x.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
