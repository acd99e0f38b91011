//! Orders as the business console lists them: every order of the WABA's numbers, newest
//! first, with the latest payment (transaction id), the operator's fee and any refund from the
//! ledger, and the chat with the customer where status updates are sent as `order_status`
//! messages through the one send path.

use super::money;
use super::payments::payment_view;
use super::Commerce;
use crate::commerce::LedgerRow;
use crate::error::Result;
use std::collections::HashMap;
use wasla_types::commerce::ConsoleOrder;

/// Most orders listed per number.
const MAX_ORDERS: i64 = 200;

impl Commerce {
    /// A business number's fee ledger lines, newest first.
    pub async fn ledger(&self, business_id: i64) -> Result<Vec<LedgerRow>> {
        self.store.ledger(business_id).await
    }

    /// The WABA's orders, newest first.
    pub async fn console_orders(&self, waba_id: i64) -> Result<Vec<ConsoleOrder>> {
        let mut out = vec![];
        for number in self.business.phone_numbers(waba_id).await? {
            let mut fees: HashMap<i64, i64> = HashMap::new();
            let mut refunds: HashMap<i64, i64> = HashMap::new();
            for l in self.store.ledger(number.id).await? {
                if l.kind == "refund" {
                    *refunds.entry(l.payment_id).or_default() += -l.gross;
                } else {
                    *fees.entry(l.payment_id).or_default() += l.fee;
                }
            }
            for o in self.store.orders_of_business(number.id, MAX_ORDERS).await? {
                let person = self.accounts.account(o.person_id).await?;
                let key = crate::chats::direct_key(number.id, o.person_id);
                let chat = self.chats.direct_chat(&key).await?;
                let payment = self.store.latest_payment(o.id).await?;
                out.push(ConsoleOrder {
                    reference_id: o.reference_id.clone(),
                    phone_number_id: number.id.to_string(),
                    wa_id: person.as_ref().map(|p| p.wa_id.clone()).unwrap_or_default(),
                    name: person
                        .as_ref()
                        .map(|p| p.display_name.clone())
                        .unwrap_or_default(),
                    chat_id: chat.map(|c| c.id.to_string()),
                    status: o.status.clone(),
                    payment_status: o.payment_status.clone(),
                    total: o.total,
                    currency: o.currency.clone(),
                    total_text: money::format(o.total, &o.currency),
                    fee: payment.as_ref().and_then(|p| fees.get(&p.id).copied()),
                    refunded: payment.as_ref().and_then(|p| refunds.get(&p.id).copied()),
                    payment: payment.as_ref().map(|p| payment_view(p, &o, None)),
                    created_at: o.created_at,
                });
            }
        }
        out.sort_by_key(|o| std::cmp::Reverse(o.created_at));
        Ok(out)
    }
}
