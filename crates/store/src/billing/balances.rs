//! Balances in SQL (`billing_accounts`, `billing_ledger` of `0013_billing.sql`): a WABA's
//! terms with its card's currency, the ledger's sums, appending top-ups and adjustments,
//! pages of the ledger by the `(waba_id, at)` index, the WABAs with new entries (a range of
//! the `(at, waba_id)` index of `0015_billing_balances.sql`) and the low-balance mark, which
//! is set together with its webhook in one transaction. The [`BalanceStore`] impl.

use crate::db::Db;
use crate::integration::enqueue_webhook;
use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::billing::{BalanceStore, BillingAccountRow, LedgerEntry};
use wasla_core::chats::WebhookWork;
use wasla_core::Result;

/// Bind a ledger entry's values in the order of [`LEDGER_COLS`].
pub(super) fn bind_entry<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    e: &'q LedgerEntry,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(e.id)
        .bind(e.waba_id)
        .bind(&e.kind)
        .bind(e.message_id)
        .bind(e.recipient_id)
        .bind(e.phone_number_id)
        .bind(&e.country)
        .bind(&e.market)
        .bind(&e.category)
        .bind(&e.pricing_type)
        .bind(&e.tier)
        .bind(e.card_id)
        .bind(e.template_id)
        .bind(e.amount_micros)
        .bind(&e.currency)
        .bind(&e.note)
        .bind(&e.actor)
        .bind(e.at)
}

/// Columns of a ledger entry, in [`entry`]'s order.
pub(super) const LEDGER_COLS: &str = "id, waba_id, kind, message_id, recipient_id, \
     phone_number_id, country, market, category, pricing_type, tier, card_id, template_id, \
     amount_micros, currency, note, actor, at";
/// Entries per INSERT (18 values each, under both backends' bind limits).
const PER_STATEMENT: usize = 256;
/// The currency of a WABA whose card has not been imported.
const DEFAULT_CURRENCY: &str = "USD";

/// A ledger entry from [`LEDGER_COLS`].
pub(super) fn entry(r: &AnyRow) -> LedgerEntry {
    LedgerEntry {
        id: r.get(0),
        waba_id: r.get(1),
        kind: r.get(2),
        message_id: r.get(3),
        recipient_id: r.get(4),
        phone_number_id: r.get(5),
        country: r.get(6),
        market: r.get(7),
        category: r.get(8),
        pricing_type: r.get(9),
        tier: r.get(10),
        card_id: r.get(11),
        template_id: r.get(12),
        amount_micros: r.get(13),
        currency: r.get(14),
        note: r.get(15),
        actor: r.get(16),
        at: r.get(17),
    }
}

#[async_trait]
impl BalanceStore for SqlStore {
    async fn balance_account(&self, waba: i64) -> Result<(BillingAccountRow, String)> {
        let row = sqlx::query(
            "SELECT waba_id, card_name, discount_bp, credit_limit_micros, low_balance_micros, \
             low_balance_warned_at, timezone, updated_at FROM billing_accounts WHERE waba_id = $1",
        )
        .bind(waba)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        let account = match row {
            Some(r) => BillingAccountRow {
                waba_id: r.get(0),
                card_name: r.get(1),
                discount_bp: r.get(2),
                credit_limit_micros: r.get(3),
                low_balance_micros: r.get(4),
                low_balance_warned_at: r.get(5),
                timezone: r.get(6),
                updated_at: r.get(7),
            },
            None => BillingAccountRow {
                waba_id: waba,
                card_name: "default".into(),
                discount_bp: 0,
                credit_limit_micros: None,
                low_balance_micros: 0,
                low_balance_warned_at: None,
                timezone: "UTC".into(),
                updated_at: 0,
            },
        };
        let currency: Option<String> = sqlx::query_scalar(
            "SELECT currency FROM rate_cards WHERE name = $1 ORDER BY effective_from DESC LIMIT 1",
        )
        .bind(&account.card_name)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok((
            account,
            currency.unwrap_or_else(|| DEFAULT_CURRENCY.to_string()),
        ))
    }

    async fn save_balance_terms(
        &self,
        waba: i64,
        credit_limit_micros: Option<i64>,
        low_balance_micros: i64,
        timezone: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO billing_accounts (waba_id, credit_limit_micros, low_balance_micros, \
             timezone, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (waba_id) DO UPDATE SET \
             credit_limit_micros = excluded.credit_limit_micros, \
             low_balance_micros = excluded.low_balance_micros, timezone = excluded.timezone, \
             updated_at = excluded.updated_at",
        )
        .bind(waba)
        .bind(credit_limit_micros)
        .bind(low_balance_micros)
        .bind(timezone)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn balance_micros(&self, waba: i64, until: Option<i64>) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) FROM billing_ledger \
             WHERE waba_id = $1 AND at < $2",
        )
        .bind(waba)
        .bind(until.unwrap_or(i64::MAX))
        .fetch_one(&self.read)
        .await
        .map_err(db_err)
    }

    async fn append_ledger_entries(&self, entries: &[LedgerEntry]) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for chunk in entries.chunks(PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 18 + 1, 18)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO billing_ledger ({LEDGER_COLS}) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = bind_entry(q, e);
            }
            q.execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn ledger_entries(
        &self,
        waba: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LedgerEntry>> {
        // Newest first by (at, id), which the (waba_id, at) index serves; the cursor is an
        // entry id, whose time is read first.
        let cursor = match before {
            Some(id) => {
                let at: Option<i64> = sqlx::query_scalar(
                    "SELECT at FROM billing_ledger WHERE id = $1 AND waba_id = $2",
                )
                .bind(id)
                .bind(waba)
                .fetch_optional(&self.read)
                .await
                .map_err(db_err)?;
                match at {
                    Some(at) => (at, id),
                    None => return Ok(vec![]),
                }
            }
            None => (i64::MAX, i64::MAX),
        };
        let rows = sqlx::query(&format!(
            "SELECT {LEDGER_COLS} FROM billing_ledger WHERE waba_id = $1 \
             AND (at < $2 OR (at = $2 AND id < $3)) ORDER BY at DESC, id DESC LIMIT $4"
        ))
        .bind(waba)
        .bind(cursor.0)
        .bind(cursor.1)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(entry).collect())
    }

    async fn wabas_charged_since(&self, since: i64) -> Result<(Vec<i64>, i64)> {
        let rows = sqlx::query(
            "SELECT waba_id, MAX(at) FROM billing_ledger WHERE at >= $1 GROUP BY waba_id",
        )
        .bind(since)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        let latest = rows
            .iter()
            .map(|r| r.get::<i64, _>(1))
            .max()
            .unwrap_or(since);
        Ok((rows.iter().map(|r| r.get(0)).collect(), latest))
    }

    async fn mark_low_balance(&self, waba: i64, now: i64, webhook: &WebhookWork) -> Result<bool> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let marked = sqlx::query(
            "UPDATE billing_accounts SET low_balance_warned_at = $1 \
             WHERE waba_id = $2 AND low_balance_warned_at IS NULL",
        )
        .bind(now)
        .bind(waba)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected()
            == 1;
        if marked {
            enqueue_webhook(&mut Db::Any(&mut tx), webhook, now).await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(marked)
    }

    async fn clear_low_balance(&self, waba: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE billing_accounts SET low_balance_warned_at = NULL \
             WHERE waba_id = $1 AND low_balance_warned_at IS NOT NULL",
        )
        .bind(waba)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }
}
