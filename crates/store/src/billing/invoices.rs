//! Invoices in SQL: a WABA's ledger in a period, read through the `(waba_id, at)` index,
//! charges summed by kind, category and market (exact integer sums), top-ups and adjustments
//! one by one. The [`InvoiceStore`] impl.

use super::balances::{entry, LEDGER_COLS};
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::billing::{InvoiceStore, LedgerEntry};
use wasla_core::Result;

#[async_trait]
impl InvoiceStore for SqlStore {
    async fn invoice_charges(
        &self,
        waba: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, String, String, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT kind, COALESCE(category, ''), COALESCE(market, ''), COUNT(*), \
             CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) FROM billing_ledger \
             WHERE waba_id = $1 AND at >= $2 AND at < $3 AND kind NOT IN ('top_up', 'adjustment') \
             GROUP BY kind, COALESCE(category, ''), COALESCE(market, '')",
        )
        .bind(waba)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect())
    }

    async fn invoice_credits(&self, waba: i64, from: i64, to: i64) -> Result<Vec<LedgerEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {LEDGER_COLS} FROM billing_ledger WHERE waba_id = $1 AND at >= $2 AND at < $3 \
             AND kind IN ('top_up', 'adjustment') ORDER BY at, id"
        ))
        .bind(waba)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(entry).collect())
    }
}
