//! Payments in a chat: a person paying the order of an `order_details` message
//! through the configured provider, settlement (status webhook of type `payment`, confirmation
//! in the chat for both sides, the operator's fee in the ledger) exactly once however often
//! a result is reported, and the worker that settles pending sandbox payments.

use super::money;
use super::payment_provider::{provider, Charge, Outcome};
use super::Commerce;
use super::{LedgerRow, OrderRow, PaymentRow, Settlement};
use crate::accounts::{AccountKind, AccountRow};
use crate::chats::MessageRow;
use crate::chats::WebhookEvent;
use crate::chats::WebhookWork;
use crate::error::{Error, Result};
use crate::ids::{parse_wamid, same_secret};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use wasla_types::commerce::PaymentView;
use wasla_types::content::{Content, SystemNote};

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

impl Commerce {
    /// The order an `order_details` message of this chat asks `person` to pay.
    async fn order_of_message(
        &self,
        person: &AccountRow,
        chat_id: &str,
        message_id: &str,
    ) -> Result<(MessageRow, OrderRow)> {
        let (chat, _) = self.chats.chat_for(person.id, chat_id).await?;
        let missing = || Error::not_found("no order to pay in that message");
        let msg = self
            .chats
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
        let provider = provider(&self.ground.config.commerce)?;
        let id = self.ground.ids.next();
        let transaction_id = format!("wtx{id}");
        let now = self.ground.now();
        let return_url = format!("{}/#/chats/{chat_id}", self.ground.config.public_url());
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
                self.integration
                    .enqueue_webhook(
                        &payment_webhook(order.business_id, row.id, "pending", now),
                        now,
                    )
                    .await?;
                self.integration.webhooks_queued();
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
            self.chats.message(payment.message_id).await?,
            self.accounts.account(order.business_id).await?,
        ) {
            let members = self.chats.members(msg.chat_id).await?;
            let note = Content::System {
                system: SystemNote {
                    body: note,
                    call: None,
                },
            };
            self.chats
                .commit_content(
                    &business,
                    msg.chat_id,
                    &members,
                    crate::chats::Draft::of(note),
                )
                .await?;
        }
        Ok(true)
    }

    /// Write a payment's result (status, order, ledger line, webhook) in one transaction;
    /// returns the order and the confirmation text, or `None` when it was recorded before.
    pub(crate) async fn record_settlement(
        &self,
        payment: &PaymentRow,
        result: &Settled,
    ) -> Result<Option<(OrderRow, String)>> {
        let order = self
            .store
            .order(payment.order_id)
            .await?
            .ok_or_else(|| Error::internal("payment without order"))?;
        let now = self.ground.now();
        let c = &self.ground.config.commerce;
        let fee = money::fee(payment.amount, c.fee_basis_points, c.fee_fixed_minor);
        let ledger = |kind: &str, sign: i64| LedgerRow {
            id: self.ground.ids.next(),
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
        self.integration.webhooks_queued();
        Ok(Some((order, note)))
    }

    /// The operator's fee ledger of a business number, newest first, with totals per
    /// currency (all minor units).
    pub async fn fee_ledger(&self, phone_number_id: &str) -> Result<Value> {
        let missing = || Error::not_found(format!("no business phone number {phone_number_id}"));
        let id = crate::ids::parse_id(phone_number_id).ok_or_else(missing)?;
        self.accounts
            .account(id)
            .await?
            .filter(|a| a.kind == AccountKind::Business)
            .ok_or_else(missing)?;
        let rows = self.store.ledger(id).await?;
        let mut totals = serde_json::Map::new();
        for l in &rows {
            let t = totals
                .entry(l.currency.clone())
                .or_insert_with(|| serde_json::json!({"gross": 0, "fee": 0, "net": 0}));
            for (k, v) in [("gross", l.gross), ("fee", l.fee), ("net", l.net)] {
                t[k] = (t[k].as_i64().unwrap_or(0) + v).into();
            }
        }
        let data: Vec<Value> = rows
            .iter()
            .map(|l| {
                serde_json::json!({"id": l.id.to_string(), "payment_id": l.payment_id.to_string(),
                    "kind": l.kind, "currency": l.currency, "gross": l.gross, "fee": l.fee,
                    "net": l.net, "created_at": l.created_at})
            })
            .collect();
        Ok(serde_json::json!({"data": data, "totals": totals}))
    }

    /// Settle pending sandbox payments whose time has come.
    pub async fn settle_due_payments(&self) -> Result<usize> {
        let due = self.store.due_payments(self.ground.now(), 100).await?;
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
            let stopping = app.ground.stopping();
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
        let secret = &self.ground.config.commerce.payment_link_secret;
        if secret.is_empty() {
            return Err(Error::Forbidden("payment links are not configured".into()));
        }
        let expected = crate::integration::signature(secret, body);
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

pub(crate) fn payment_view(
    p: &PaymentRow,
    order: &OrderRow,
    redirect_url: Option<String>,
) -> PaymentView {
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
