//! Orders and payments in a chat: `order_details` (review_and_pay) with totals checked to the
//! minor unit, `order_status` updates (cancelling a paid order refunds it), a person paying
//! through the configured provider, settlement (status webhook of type `payment`, confirmation
//! in the chat for both sides, the operator's fee in the ledger) exactly once however often
//! a result is reported, and the worker that settles pending sandbox payments.

use super::money;
use super::payment_provider::{provider, Charge, Outcome};
use super::Wasla;
use crate::error::{Error, Result};
use crate::ids::{parse_wamid, same_secret};
use crate::model::*;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use wasla_types::commerce::{Amount, PaymentView};
use wasla_types::content::{Content, SystemNote};
use wasla_types::interactive::Interactive;

/// Order statuses a business may set, in Meta's words.
pub const ORDER_STATUSES: &[&str] = &[
    "pending",
    "processing",
    "partially_shipped",
    "shipped",
    "completed",
    "canceled",
];

/// One order as the paying person sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderView {
    /// The business's reference id.
    pub reference_id: String,
    /// Order status.
    pub status: String,
    /// `unpaid`, `pending`, `paid`, `failed`, `refunded`.
    pub payment_status: String,
    /// Total, minor units.
    pub total: i64,
    /// ISO 4217.
    pub currency: String,
    /// The total as people read it.
    pub total_text: String,
    /// The latest payment.
    pub payment: Option<PaymentView>,
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::invalid_param(msg)
}

/// An amount in `currency` (whose offset is `offset`); absent ones are zero unless required.
fn amount(v: &Value, name: &str, offset: i64, required: bool) -> Result<i64> {
    if v.is_null() {
        return if required {
            Err(invalid(format!("{name} is required")))
        } else {
            Ok(0)
        };
    }
    let a: Amount = serde_json::from_value(v.clone()).map_err(|_| {
        invalid(format!(
            "{name} must be {{\"value\": integer, \"offset\": integer}}"
        ))
    })?;
    if a.offset != offset {
        return Err(invalid(format!(
            "{name}.offset must be {offset} for this currency, not {}",
            a.offset
        )));
    }
    if a.value < 0 {
        return Err(invalid(format!("{name}.value must not be negative")));
    }
    Ok(a.value)
}

impl Wasla {
    /// Check an `order_details` message and record its order (replacing an unpaid one with the
    /// same reference id).
    pub(crate) async fn record_order_details(
        &self,
        business: &AccountRow,
        person_id: i64,
        i: &Interactive,
    ) -> Result<()> {
        let action = i.action.clone().unwrap_or_default();
        if action.name.as_deref() != Some("review_and_pay") {
            return Err(invalid(
                "order_details needs action.name \"review_and_pay\"",
            ));
        }
        if i.body.as_ref().is_none_or(|b| b.text.trim().is_empty()) {
            return Err(invalid("order_details needs body.text"));
        }
        let p = action.parameters.unwrap_or_default();
        let reference = p["reference_id"].as_str().unwrap_or_default();
        if reference.is_empty()
            || reference.len() > 35
            || !reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            return Err(invalid(
                "reference_id must be 1 to 35 letters, digits, '_', '-' or '.'",
            ));
        }
        if !matches!(p["type"].as_str(), Some("digital-goods" | "physical-goods")) {
            return Err(invalid("type must be digital-goods or physical-goods"));
        }
        let currency = p["currency"].as_str().unwrap_or_default().to_string();
        let offset =
            money::offset(&currency).map_err(|e| invalid(super::catalog::graph_details(&e)))?;
        let total = amount(&p["total_amount"], "total_amount", offset, true)?;
        let order = &p["order"];
        let items = order["items"]
            .as_array()
            .filter(|a| !a.is_empty() && a.len() <= 100)
            .ok_or_else(|| invalid("order.items must list 1 to 100 items"))?;
        let mut sum: i64 = 0;
        for (n, item) in items.iter().enumerate() {
            let name = format!("order.items[{n}]");
            if item["name"].as_str().is_none_or(|s| s.trim().is_empty()) {
                return Err(invalid(format!("{name}.name is required")));
            }
            let qty = item["quantity"]
                .as_i64()
                .filter(|q| (1..=9999).contains(q))
                .ok_or_else(|| invalid(format!("{name}.quantity must be 1 to 9999")))?;
            let unit = amount(&item["amount"], &format!("{name}.amount"), offset, true)?;
            let sale = amount(
                &item["sale_amount"],
                &format!("{name}.sale_amount"),
                offset,
                false,
            )?;
            let unit = if item["sale_amount"].is_null() {
                unit
            } else {
                sale
            };
            sum = unit
                .checked_mul(qty)
                .and_then(|l| sum.checked_add(l))
                .ok_or_else(|| invalid("amounts are too large"))?;
        }
        let subtotal = amount(&order["subtotal"], "order.subtotal", offset, true)?;
        let tax = amount(&order["tax"], "order.tax", offset, false)?;
        let shipping = amount(&order["shipping"], "order.shipping", offset, false)?;
        let discount = amount(&order["discount"], "order.discount", offset, false)?;
        if subtotal != sum {
            return Err(invalid(format!(
                "order.subtotal is {subtotal} but the items add up to {sum} (minor units of {currency})"
            )));
        }
        let expected = subtotal + tax + shipping - discount;
        if total != expected {
            return Err(invalid(format!(
                "total_amount is {total} but subtotal {subtotal} + tax {tax} + shipping {shipping} - discount {discount} = {expected} (minor units of {currency})"
            )));
        }
        if total <= 0 {
            return Err(invalid("total_amount must be more than zero"));
        }
        let now = self.now();
        let row = OrderRow {
            id: self.ids.next(),
            business_id: business.id,
            person_id,
            reference_id: reference.into(),
            currency,
            total,
            details: p.to_string(),
            status: "pending".into(),
            payment_status: "unpaid".into(),
            created_at: now,
            updated_at: now,
        };
        self.store.put_order(&row).await.map_err(|e| match e {
            Error::Conflict(_) => invalid(format!(
                "order {reference} is already paid or being paid; use a new reference_id"
            )),
            other => other,
        })?;
        Ok(())
    }

    /// Apply an `order_status` message: a known order of this person, a known status, not
    /// after completion or cancellation; cancelling a paid order refunds it.
    pub(crate) async fn apply_order_status(
        &self,
        business: &AccountRow,
        person_id: i64,
        i: &Interactive,
    ) -> Result<()> {
        let action = i.action.clone().unwrap_or_default();
        if action.name.as_deref() != Some("review_order") {
            return Err(invalid("order_status needs action.name \"review_order\""));
        }
        let p = action.parameters.unwrap_or_default();
        let reference = p["reference_id"].as_str().unwrap_or_default();
        let order = self
            .store
            .order_by_reference(business.id, reference)
            .await?
            .filter(|o| o.person_id == person_id)
            .ok_or_else(|| invalid(format!("no order {reference:?} with this person")))?;
        let status = p["order"]["status"].as_str().unwrap_or_default();
        if !ORDER_STATUSES.contains(&status) {
            return Err(invalid(format!(
                "order.status must be one of: {}",
                ORDER_STATUSES.join(", ")
            )));
        }
        if matches!(order.status.as_str(), "completed" | "canceled") {
            return Err(invalid(format!(
                "order {reference} is already {}",
                order.status
            )));
        }
        if status == "canceled" && order.payment_status == "paid" {
            if let Some(p) = self.store.latest_payment(order.id).await? {
                // The order_status message itself tells the person; no extra note.
                self.record_settlement(&p, &Settled::Refunded).await?;
            }
        }
        self.store
            .set_order_status(order.id, status, self.now())
            .await
    }

    /// The order an `order_details` message of this chat asks `person` to pay.
    async fn order_of_message(
        &self,
        person: &AccountRow,
        chat_id: &str,
        message_id: &str,
    ) -> Result<(MessageRow, OrderRow)> {
        let (chat, _) = self.chat_for(person.id, chat_id).await?;
        let missing = || Error::not_found("no order to pay in that message");
        let msg = self
            .store
            .message(parse_wamid(message_id).ok_or_else(missing)?)
            .await?
            .filter(|m| m.chat_id == chat.id && m.sender_id != person.id)
            .ok_or_else(missing)?;
        let Content::Interactive { interactive } = &msg.content else {
            return Err(missing());
        };
        if interactive.kind != "order_details" {
            return Err(missing());
        }
        let reference = interactive
            .action
            .as_ref()
            .and_then(|a| a.parameters.as_ref())
            .and_then(|p| p["reference_id"].as_str())
            .unwrap_or_default();
        let order = self
            .store
            .order_by_reference(msg.sender_id, reference)
            .await?
            .filter(|o| o.person_id == person.id)
            .ok_or_else(missing)?;
        Ok((msg, order))
    }

    /// The order of an `order_details` message and its latest payment.
    pub async fn order_view(
        &self,
        person: &AccountRow,
        chat_id: &str,
        message_id: &str,
    ) -> Result<OrderView> {
        let (_, order) = self.order_of_message(person, chat_id, message_id).await?;
        let payment = self.store.latest_payment(order.id).await?;
        Ok(OrderView {
            total_text: money::format(order.total, &order.currency),
            payment: payment.map(|p| payment_view(&p, &order, None)),
            reference_id: order.reference_id,
            status: order.status,
            payment_status: order.payment_status,
            total: order.total,
            currency: order.currency,
        })
    }

    /// A person pays the order of an `order_details` message. Paying again while a payment is
    /// pending returns that payment; a paid order cannot be paid twice.
    pub async fn pay(
        &self,
        person: &AccountRow,
        chat_id: &str,
        message_id: &str,
        card: Option<&str>,
    ) -> Result<PaymentView> {
        let (msg, order) = self.order_of_message(person, chat_id, message_id).await?;
        match order.payment_status.as_str() {
            "paid" | "refunded" => {
                return Err(Error::Conflict("this order is already paid".into()))
            }
            "pending" => {
                if let Some(p) = self.store.latest_payment(order.id).await? {
                    return Ok(payment_view(&p, &order, None));
                }
            }
            _ => {}
        }
        if order.status == "canceled" {
            return Err(Error::bad("this order was canceled"));
        }
        let provider = provider(&self.config.commerce)?;
        let id = self.ids.next();
        let transaction_id = format!("wtx{id}");
        let now = self.now();
        let return_url = format!("{}/#/chats/{chat_id}", self.config.public_url());
        let outcome = provider.start(&Charge {
            transaction_id: &transaction_id,
            amount: order.total,
            currency: &order.currency,
            card,
            now,
            return_url: &return_url,
        })?;
        let row = PaymentRow {
            id,
            order_id: order.id,
            provider: provider.name().into(),
            transaction_id,
            status: "pending".into(),
            amount: order.total,
            currency: order.currency.clone(),
            settle_at: match &outcome {
                Outcome::Pending(at) => *at,
                _ => None,
            },
            error: None,
            message_id: msg.id,
            created_at: now,
            updated_at: now,
        };
        if !self.store.start_payment(&row).await? {
            let latest = self.store.latest_payment(order.id).await?;
            return latest
                .map(|p| payment_view(&p, &order, None))
                .ok_or_else(|| Error::Conflict("this order is already paid".into()));
        }
        let redirect = match outcome {
            Outcome::Succeeded => {
                self.settle(&row, Settled::Success).await?;
                None
            }
            Outcome::Declined(reason) => {
                self.settle(&row, Settled::Failed(reason)).await?;
                None
            }
            Outcome::Pending(_) | Outcome::Redirect(_) => {
                self.store
                    .enqueue_webhook(
                        &payment_webhook(order.business_id, row.id, "pending", now),
                        now,
                    )
                    .await?;
                self.webhooks_queued();
                match outcome {
                    Outcome::Redirect(url) => Some(url),
                    _ => None,
                }
            }
        };
        let latest = self.store.payment(row.id).await?.unwrap_or(row);
        Ok(payment_view(&latest, &order, redirect))
    }

    /// Record a payment's result once: status, order, ledger and webhook in one transaction,
    /// then the confirmation in the chat. Returns false when it was recorded before.
    pub(crate) async fn settle(&self, payment: &PaymentRow, result: Settled) -> Result<bool> {
        let Some((order, note)) = self.record_settlement(payment, &result).await? else {
            return Ok(false);
        };
        // Both sides see the confirmation in their chat, through the one send path.
        if let (Some(msg), Some(business)) = (
            self.store.message(payment.message_id).await?,
            self.store.account(order.business_id).await?,
        ) {
            let members = self.store.members(msg.chat_id).await?;
            let note = Content::System {
                system: SystemNote { body: note },
            };
            self.commit_content(
                &business,
                msg.chat_id,
                &members,
                super::messaging::Draft::of(note),
            )
            .await?;
        }
        Ok(true)
    }

    /// Write a payment's result (status, order, ledger line, webhook) in one transaction;
    /// returns the order and the confirmation text, or `None` when it was recorded before.
    async fn record_settlement(
        &self,
        payment: &PaymentRow,
        result: &Settled,
    ) -> Result<Option<(OrderRow, String)>> {
        let order = self
            .store
            .order(payment.order_id)
            .await?
            .ok_or_else(|| Error::internal("payment without order"))?;
        let now = self.now();
        let c = &self.config.commerce;
        let fee = money::fee(payment.amount, c.fee_basis_points, c.fee_fixed_minor);
        let ledger = |kind: &str, sign: i64| LedgerRow {
            id: self.ids.next(),
            payment_id: payment.id,
            kind: kind.into(),
            business_id: order.business_id,
            currency: payment.currency.clone(),
            gross: sign * payment.amount,
            fee: sign * fee,
            net: sign * (payment.amount - fee),
            created_at: now,
        };
        let amount = money::format(payment.amount, &payment.currency);
        let reference = &order.reference_id;
        let (status, order_status, hook, error, line, note) = match result {
            Settled::Success => (
                "success",
                "paid",
                "captured",
                None,
                Some(ledger("payment", 1)),
                format!(
                    "✅ Payment received: {amount} for order {reference} (transaction {})",
                    payment.transaction_id
                ),
            ),
            Settled::Failed(reason) => (
                "failed",
                "failed",
                "failed",
                Some(reason.clone()),
                None,
                format!(
                    "❌ Payment of {amount} for order {reference} failed: {}",
                    reason.replace('_', " ")
                ),
            ),
            Settled::Refunded => (
                "refunded",
                "refunded",
                "refunded",
                None,
                Some(ledger("refund", -1)),
                format!("↩️ Refunded {amount} for order {reference}"),
            ),
        };
        let applied = self
            .store
            .settle_payment(&Settlement {
                payment_id: payment.id,
                order_id: order.id,
                status: status.into(),
                order_payment_status: order_status.into(),
                error,
                ledger: line,
                webhook: payment_webhook(order.business_id, payment.id, hook, now),
                now,
            })
            .await?;
        if !applied {
            return Ok(None);
        }
        self.webhooks_queued();
        Ok(Some((order, note)))
    }

    /// Settle pending sandbox payments whose time has come.
    pub async fn settle_due_payments(&self) -> Result<usize> {
        let due = self.store.due_payments(self.now(), 100).await?;
        let mut n = 0;
        for p in due.iter().filter(|p| p.provider == "sandbox") {
            if self.settle(p, Settled::Success).await? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Run the commerce worker (pending payments) until the server stops.
    pub fn spawn_commerce_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let stopping = app.stopping();
            tokio::pin!(stopping);
            loop {
                if let Err(e) = app.settle_due_payments().await {
                    tracing::error!(error = %e, "commerce worker");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                }
            }
        })
    }

    /// A signed callback from the hosted payment page:
    /// `{"transaction_id","status":"success|failed","error"?}` with
    /// `X-Wasla-Signature: sha256=<hex HMAC-SHA256 of the body>`. Returns whether it changed
    /// anything (a retried callback does not).
    pub async fn payment_link_callback(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<bool> {
        let secret = &self.config.commerce.payment_link_secret;
        if secret.is_empty() {
            return Err(Error::Forbidden("payment links are not configured".into()));
        }
        let expected = super::webhook_render::signature(secret, body);
        if !signature.is_some_and(|s| same_secret(s, &expected)) {
            return Err(Error::Unauthorized("bad signature".into()));
        }
        let v: Value = serde_json::from_slice(body).map_err(|e| Error::bad(e.to_string()))?;
        let txn = v["transaction_id"].as_str().unwrap_or_default();
        let payment = self
            .store
            .payment_by_transaction(txn)
            .await?
            .filter(|p| p.provider == "payment_link")
            .ok_or_else(|| Error::not_found("no such transaction"))?;
        let result = match v["status"].as_str() {
            Some("success") => Settled::Success,
            Some("failed") => {
                Settled::Failed(v["error"].as_str().unwrap_or("payment_failed").to_string())
            }
            _ => return Err(Error::bad("status must be success or failed")),
        };
        self.settle(&payment, result).await
    }
}

/// How a payment ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Settled {
    /// Paid.
    Success,
    /// Refused, with the reason.
    Failed(String),
    /// Paid, then given back.
    Refunded,
}

fn payment_webhook(business_id: i64, payment_id: i64, status: &str, now: i64) -> WebhookWork {
    WebhookWork {
        business_id,
        waba_id: None,
        event: WebhookEvent::Payment {
            payment_id,
            status: status.into(),
            timestamp: now,
        },
    }
}

fn payment_view(p: &PaymentRow, order: &OrderRow, redirect_url: Option<String>) -> PaymentView {
    PaymentView {
        id: p.id.to_string(),
        reference_id: order.reference_id.clone(),
        status: p.status.clone(),
        transaction_id: Some(p.transaction_id.clone()),
        amount: p.amount,
        currency: p.currency.clone(),
        redirect_url,
        error: p.error.clone(),
    }
}
