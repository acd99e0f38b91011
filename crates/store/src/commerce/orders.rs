//! Orders (`order_details` a business sent), payments and the fee ledger. Every change of a
//! payment is a conditional update, so a retried callback or a second worker finds nothing to
//! do and nothing is charged or confirmed twice. The [`OrderStore`] impl.

use crate::db::Db;
use crate::integration::enqueue_webhook;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::commerce::{LedgerRow, OrderRow, OrderStore, PaymentRow, Settlement};
use wasla_core::{Error, Result};

/// Columns of an order row.
pub(crate) const ORDER_COLS: &str =
    "id, business_id, person_id, reference_id, currency, total, details, status, \
     payment_status, created_at, updated_at";
const PAYMENT_COLS: &str =
    "id, order_id, provider, transaction_id, status, amount, currency, settle_at, \
     error, message_id, created_at, updated_at";

/// Decode an order row (columns [`ORDER_COLS`]).
pub(crate) fn order(r: &AnyRow) -> OrderRow {
    OrderRow {
        id: r.get(0),
        business_id: r.get(1),
        person_id: r.get(2),
        reference_id: r.get(3),
        currency: r.get(4),
        total: r.get(5),
        details: r.get(6),
        status: r.get(7),
        payment_status: r.get(8),
        created_at: r.get(9),
        updated_at: r.get(10),
    }
}

fn payment(r: &AnyRow) -> PaymentRow {
    PaymentRow {
        id: r.get(0),
        order_id: r.get(1),
        provider: r.get(2),
        transaction_id: r.get(3),
        status: r.get(4),
        amount: r.get(5),
        currency: r.get(6),
        settle_at: r.get(7),
        error: r.get(8),
        message_id: r.get(9),
        created_at: r.get(10),
        updated_at: r.get(11),
    }
}

#[async_trait]
impl OrderStore for SqlStore {
    async fn put_order(&self, o: &OrderRow) -> Result<OrderRow> {
        let r = sqlx::query(&format!(
            "INSERT INTO orders ({ORDER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (business_id, reference_id) DO UPDATE SET currency = excluded.currency, \
             total = excluded.total, details = excluded.details, payment_status = 'unpaid', \
             updated_at = excluded.updated_at \
             WHERE orders.person_id = excluded.person_id \
             AND orders.payment_status IN ('unpaid', 'failed')"
        ))
        .bind(o.id)
        .bind(o.business_id)
        .bind(o.person_id)
        .bind(&o.reference_id)
        .bind(&o.currency)
        .bind(o.total)
        .bind(&o.details)
        .bind(&o.status)
        .bind(&o.payment_status)
        .bind(o.created_at)
        .bind(o.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        if r.rows_affected() == 0 {
            return Err(Error::Conflict(format!(
                "order {} is paid, being paid, or belongs to someone else",
                o.reference_id
            )));
        }
        self.order_by_reference(o.business_id, &o.reference_id)
            .await?
            .ok_or_else(|| Error::internal("order vanished"))
    }

    async fn order_by_reference(
        &self,
        business_id: i64,
        reference_id: &str,
    ) -> Result<Option<OrderRow>> {
        let r = sqlx::query(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE business_id = $1 AND reference_id = $2"
        ))
        .bind(business_id)
        .bind(reference_id)
        .fetch_optional(&self.write)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(order))
    }

    async fn order(&self, id: i64) -> Result<Option<OrderRow>> {
        let r = sqlx::query(&format!("SELECT {ORDER_COLS} FROM orders WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(order))
    }

    async fn orders_of_business(&self, business_id: i64, limit: i64) -> Result<Vec<OrderRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE business_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(business_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(order).collect())
    }

    async fn set_order_status(&self, id: i64, status: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE orders SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(now)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn start_payment(&self, p: &PaymentRow) -> Result<bool> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let claimed = sqlx::query(
            "UPDATE orders SET payment_status = 'pending', updated_at = $2 \
             WHERE id = $1 AND payment_status IN ('unpaid', 'failed')",
        )
        .bind(p.order_id)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(&format!(
            "INSERT INTO payments ({PAYMENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(p.id)
        .bind(p.order_id)
        .bind(&p.provider)
        .bind(&p.transaction_id)
        .bind(&p.status)
        .bind(p.amount)
        .bind(&p.currency)
        .bind(p.settle_at)
        .bind(&p.error)
        .bind(p.message_id)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn payment(&self, id: i64) -> Result<Option<PaymentRow>> {
        let r = sqlx::query(&format!(
            "SELECT {PAYMENT_COLS} FROM payments WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.write)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(payment))
    }

    async fn payment_by_transaction(&self, transaction_id: &str) -> Result<Option<PaymentRow>> {
        let r = sqlx::query(&format!(
            "SELECT {PAYMENT_COLS} FROM payments WHERE transaction_id = $1"
        ))
        .bind(transaction_id)
        .fetch_optional(&self.write)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(payment))
    }

    async fn latest_payment(&self, order_id: i64) -> Result<Option<PaymentRow>> {
        let r = sqlx::query(&format!(
            "SELECT {PAYMENT_COLS} FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(order_id)
        .fetch_optional(&self.write)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(payment))
    }

    async fn due_payments(&self, now: i64, limit: i64) -> Result<Vec<PaymentRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {PAYMENT_COLS} FROM payments WHERE status = 'pending' \
             AND settle_at IS NOT NULL AND settle_at <= $1 ORDER BY settle_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(payment).collect())
    }

    async fn settle_payment(&self, s: &Settlement) -> Result<bool> {
        let expected = if s.status == "refunded" {
            "success"
        } else {
            "pending"
        };
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let changed = sqlx::query(
            "UPDATE payments SET status = $2, error = $3, updated_at = $4 \
             WHERE id = $1 AND status = $5",
        )
        .bind(s.payment_id)
        .bind(&s.status)
        .bind(&s.error)
        .bind(s.now)
        .bind(expected)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if changed.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE orders SET payment_status = $2, updated_at = $3 WHERE id = $1")
            .bind(s.order_id)
            .bind(&s.order_payment_status)
            .bind(s.now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(l) = &s.ledger {
            sqlx::query(
                "INSERT INTO fee_ledger (id, payment_id, kind, business_id, currency, gross, fee, net, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(l.id)
            .bind(l.payment_id)
            .bind(&l.kind)
            .bind(l.business_id)
            .bind(&l.currency)
            .bind(l.gross)
            .bind(l.fee)
            .bind(l.net)
            .bind(l.created_at)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        enqueue_webhook(&mut Db::Any(&mut tx), &s.webhook, s.now).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn ledger(&self, business_id: i64) -> Result<Vec<LedgerRow>> {
        let rows = sqlx::query(
            "SELECT id, payment_id, kind, business_id, currency, gross, fee, net, created_at \
             FROM fee_ledger WHERE business_id = $1 ORDER BY id DESC",
        )
        .bind(business_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| LedgerRow {
                id: r.get(0),
                payment_id: r.get(1),
                kind: r.get(2),
                business_id: r.get(3),
                currency: r.get(4),
                gross: r.get(5),
                fee: r.get(6),
                net: r.get(7),
                created_at: r.get(8),
            })
            .collect())
    }
}
