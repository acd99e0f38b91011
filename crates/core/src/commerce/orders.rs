//! Orders a business sends in the chat: `order_details` (review_and_pay) with every amount
//! checked against its currency's exponent and the totals checked to the minor unit, and
//! `order_status` updates (nothing changes after completion or cancellation; cancelling a
//! paid order refunds it).

use super::money;
use super::payments::Settled;
use super::Commerce;
use super::OrderRow;
use crate::accounts::AccountRow;
use crate::error::{Error, Result};
use serde_json::Value;
use wasla_types::commerce::Amount;
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

impl Commerce {
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
        let now = self.ground.now();
        let row = OrderRow {
            id: self.ground.ids.next(),
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
            .set_order_status(order.id, status, self.ground.now())
            .await
    }
}
