//! Customer carts as the business console's Orders page lists them: every `order` message a
//! customer sent to one of the WABA's numbers (the latest messages of each chat), with product
//! names and images from the catalog, line totals in minor units, and the order a payment
//! request for the cart made (status and payment status), so agents see what to act on.

use super::money;
use super::payment_request::cart_reference;
use super::Commerce;
use crate::chats::ChatKind;
use crate::error::Result;
use crate::ids::wamid;
use std::collections::HashMap;
use wasla_types::compose::{CartLine, ConsoleCart};
use wasla_types::content::Content;

/// How many of each chat's latest messages are searched for carts.
const RECENT_MESSAGES: i64 = 200;

impl Commerce {
    /// The carts customers sent to the WABA's numbers, newest first.
    pub async fn console_carts(&self, waba_id: i64) -> Result<Vec<ConsoleCart>> {
        let products: HashMap<String, (String, Option<String>)> =
            match self.store.catalog_of_waba(waba_id).await? {
                Some(c) => self
                    .all_products(c.id)
                    .await?
                    .into_iter()
                    .map(|p| (p.retailer_id, (p.name, p.image_url)))
                    .collect(),
                None => HashMap::new(),
            };
        let mut out = vec![];
        for number in self.business.phone_numbers(waba_id).await? {
            for (chat, _) in self.chats.chats_of(number.id).await? {
                if chat.kind != ChatKind::Direct {
                    continue;
                }
                let rows = self
                    .chats
                    .messages_before(chat.id, None, None, RECENT_MESSAGES)
                    .await?;
                for m in rows.iter().filter(|m| m.sender_id != number.id) {
                    let Content::Order { order } = &m.content else {
                        continue;
                    };
                    let person = self.accounts.account(m.sender_id).await?;
                    let reference = cart_reference(m.id);
                    let requested = self.store.order_by_reference(number.id, &reference).await?;
                    let items: Vec<CartLine> = order
                        .product_items
                        .iter()
                        .map(|i| {
                            let (name, image_url) = products
                                .get(&i.product_retailer_id)
                                .cloned()
                                .unwrap_or((i.product_retailer_id.clone(), None));
                            CartLine {
                                retailer_id: i.product_retailer_id.clone(),
                                name,
                                image_url,
                                quantity: i.quantity,
                                unit_price: i.item_price_minor,
                                line_total: i.item_price_minor.saturating_mul(i.quantity),
                            }
                        })
                        .collect();
                    let total = items.iter().map(|l| l.line_total).sum::<i64>();
                    let currency = order
                        .product_items
                        .first()
                        .map(|i| i.currency.clone())
                        .unwrap_or_default();
                    out.push(ConsoleCart {
                        message_id: wamid(m.id),
                        chat_id: chat.id.to_string(),
                        phone_number_id: number.id.to_string(),
                        wa_id: m.sender_wa_id.clone(),
                        name: person.map(|p| p.display_name).unwrap_or_default(),
                        text: order.text.clone(),
                        items,
                        total_text: money::format(total, &currency),
                        currency,
                        total,
                        reference_id: reference,
                        order_status: requested.as_ref().map(|o| o.status.clone()),
                        payment_status: requested.map(|o| o.payment_status),
                        created_at: m.created_at,
                    });
                }
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        Ok(out)
    }
}
