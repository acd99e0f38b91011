//! Rate cards (`rate_cards`, `rate_card_rows`), the card and discount of a WABA
//! (`billing_accounts`), and what rating reads outside the group commit: plans not yet rated,
//! rated rows, free entry points. The [`CardStore`] and [`RatingStore`] impls.

use super::balances::{entry, LEDGER_COLS};
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::billing::{
    BillingAccountRow, CardStore, LedgerEntry, RateCard, RateRow, RatingStore,
};
use wasla_core::Result;

#[async_trait]
impl CardStore for SqlStore {
    async fn insert_card(&self, card: &RateCard, rows: &[RateRow]) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO rate_cards (id, name, currency, effective_from, source, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(card.id)
        .bind(&card.name)
        .bind(&card.currency)
        .bind(card.effective_from)
        .bind(&card.source)
        .bind(card.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        for chunk in rows.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", crate::placeholders(i * 5 + 1, 5)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO rate_card_rows (card_id, market, category, tier_from, rate_micros) VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(card.id)
                    .bind(&r.market)
                    .bind(&r.category)
                    .bind(r.tier_from)
                    .bind(r.rate_micros);
            }
            q.execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn cards(&self) -> Result<Vec<RateCard>> {
        let rows = sqlx::query(
            "SELECT id, name, currency, effective_from, source, created_at FROM rate_cards \
             ORDER BY effective_from, id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| RateCard {
                id: r.get(0),
                name: r.get(1),
                currency: r.get(2),
                effective_from: r.get(3),
                source: r.get(4),
                created_at: r.get(5),
            })
            .collect())
    }

    async fn card_rows(&self, card_id: i64) -> Result<Vec<RateRow>> {
        let rows = sqlx::query(
            "SELECT market, category, tier_from, rate_micros FROM rate_card_rows WHERE card_id = $1 \
             ORDER BY market, category, tier_from",
        )
        .bind(card_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| RateRow {
                market: r.get(0),
                category: r.get(1),
                tier_from: r.get(2),
                rate_micros: r.get(3),
            })
            .collect())
    }

    async fn save_pricing_terms(
        &self,
        waba: i64,
        card_name: &str,
        discount_bp: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO billing_accounts (waba_id, card_name, discount_bp, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (waba_id) DO UPDATE SET \
             card_name = excluded.card_name, discount_bp = excluded.discount_bp, \
             updated_at = excluded.updated_at",
        )
        .bind(waba)
        .bind(card_name)
        .bind(discount_bp)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn billing_account(&self, waba: i64) -> Result<Option<BillingAccountRow>> {
        let row = sqlx::query(
            "SELECT waba_id, card_name, discount_bp, credit_limit_micros, low_balance_micros, \
             low_balance_warned_at, timezone, updated_at FROM billing_accounts WHERE waba_id = $1",
        )
        .bind(waba)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| BillingAccountRow {
            waba_id: r.get(0),
            card_name: r.get(1),
            discount_bp: r.get(2),
            credit_limit_micros: r.get(3),
            low_balance_micros: r.get(4),
            low_balance_warned_at: r.get(5),
            timezone: r.get(6),
            updated_at: r.get(7),
        }))
    }
}

#[async_trait]
impl RatingStore for SqlStore {
    async fn pending_plan(&self, message: i64, recipient: i64) -> Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT plan FROM billing_pending WHERE message_id = $1 AND recipient_id = $2",
        )
        .bind(message)
        .bind(recipient)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)
    }

    async fn rated_pricing(
        &self,
        message: i64,
        recipient: i64,
    ) -> Result<Option<(String, String, String)>> {
        let row = sqlx::query(
            "SELECT category, pricing_type, pricing_model FROM billing_ledger \
             WHERE message_id = $1 AND recipient_id = $2 AND kind = 'message'",
        )
        .bind(message)
        .bind(recipient)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| {
            (
                r.get::<Option<String>, _>(0).unwrap_or_default(),
                r.get::<Option<String>, _>(1).unwrap_or_default(),
                r.get::<Option<String>, _>(2)
                    .unwrap_or_else(|| "PMP".into()),
            )
        }))
    }

    async fn rated_entries(&self, waba: i64, limit: i64) -> Result<Vec<LedgerEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {LEDGER_COLS} FROM billing_ledger WHERE waba_id = $1 AND kind = 'message' \
             ORDER BY at, id LIMIT $2"
        ))
        .bind(waba)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(entry).collect())
    }

    async fn pending_count(&self, waba: i64) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM billing_pending WHERE waba_id = $1")
            .bind(waba)
            .fetch_one(&self.read)
            .await
            .map_err(db_err)
    }

    async fn put_entry_point(&self, business: i64, person: i64, at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO billing_entry_points (business_id, person_id, referral_at, replied_at) \
             VALUES ($1, $2, $3, NULL) ON CONFLICT (business_id, person_id) DO UPDATE SET \
             referral_at = excluded.referral_at, replied_at = NULL",
        )
        .bind(business)
        .bind(person)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn entry_point(&self, business: i64, person: i64) -> Result<Option<(i64, Option<i64>)>> {
        let row = sqlx::query(
            "SELECT referral_at, replied_at FROM billing_entry_points \
             WHERE business_id = $1 AND person_id = $2",
        )
        .bind(business)
        .bind(person)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn entry_point_replied(&self, business: i64, person: i64, at: i64) -> Result<()> {
        sqlx::query(
            "UPDATE billing_entry_points SET replied_at = $3 \
             WHERE business_id = $1 AND person_id = $2 AND replied_at IS NULL",
        )
        .bind(business)
        .bind(person)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
