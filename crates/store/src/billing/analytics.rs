//! Reading the analytics rollups (`message_rollup`, `pricing_rollup` and its daily twin
//! `pricing_rollup_daily`, `template_rollup`) and the ledger totals they are checked against.
//! Every read is a range of one WABA's primary key (the revenue view: of the daily index), so
//! its cost follows the buckets and combinations asked for, never the number of messages.

use crate::sql::Sql;
use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::Row;
use wasla_core::billing::{
    AnalyticsStore, PricingRead, PricingRollupRow, RevenueRollupRow, TemplateRollupRow,
};
use wasla_core::Result;

/// `AND column IN ($n, …)` when `values` is not empty.
fn any_of_ints(sql: &mut Sql, column: &str, values: &[i64]) {
    if values.is_empty() {
        return;
    }
    sql.push(" AND ").push(column).push(" IN (");
    sql.list(values, |q, v| {
        q.int(*v);
    });
    sql.push(")");
}

/// `AND expr IN ($n, …)` when `values` is not empty.
fn any_of_texts(sql: &mut Sql, expr: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    sql.push(" AND ").push(expr).push(" IN (");
    sql.list(values, |q, v| {
        q.string(v);
    });
    sql.push(")");
}

#[async_trait]
impl AnalyticsStore for SqlStore {
    async fn message_rollup(
        &self,
        waba_id: i64,
        from: i64,
        to: i64,
        phone_number_ids: &[i64],
        countries: &[String],
    ) -> Result<Vec<(i64, i64, i64)>> {
        let mut sql = Sql::new(
            "SELECT bucket, CAST(SUM(sent) AS BIGINT), CAST(SUM(delivered) AS BIGINT) \
             FROM message_rollup WHERE waba_id = ",
        );
        sql.int(waba_id)
            .push(" AND bucket >= ")
            .int(from)
            .push(" AND bucket < ")
            .int(to);
        any_of_ints(&mut sql, "phone_number_id", phone_number_ids);
        any_of_texts(&mut sql, "UPPER(country)", countries);
        sql.push(" GROUP BY bucket ORDER BY bucket");
        let rows = sql.query().fetch_all(&self.read).await.map_err(db_err)?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(db_err)
    }

    async fn pricing_rollup(&self, read: &PricingRead) -> Result<Vec<PricingRollupRow>> {
        let (table, bucket) = if read.daily {
            ("pricing_rollup_daily", "day")
        } else {
            ("pricing_rollup", "bucket")
        };
        let d = read.dimensions;
        let kept: Vec<&str> = [
            (d.phone, "phone_number_id"),
            (d.country, "country"),
            (d.category, "category"),
            (d.pricing_type, "pricing_type"),
            (d.tier, "tier"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| *c)
        .collect();
        let mut group = bucket.to_string();
        for c in &kept {
            group.push_str(", ");
            group.push_str(c);
        }
        let mut sql = Sql::new("SELECT ");
        sql.push(&group)
            .push(", CAST(SUM(volume) AS BIGINT), CAST(SUM(cost_micros) AS BIGINT) FROM ")
            .push(table)
            .push(" WHERE waba_id = ")
            .int(read.waba_id)
            .push(" AND ")
            .push(bucket)
            .push(" >= ")
            .int(read.from)
            .push(" AND ")
            .push(bucket)
            .push(" < ")
            .int(read.to);
        any_of_ints(&mut sql, "phone_number_id", &read.phone_number_ids);
        any_of_texts(&mut sql, "UPPER(country)", &read.countries);
        any_of_texts(&mut sql, "LOWER(category)", &read.categories);
        any_of_texts(&mut sql, "LOWER(pricing_type)", &read.pricing_types);
        sql.push(" GROUP BY ").push(&group);
        let rows = sql.query().fetch_all(&self.read).await.map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = PricingRollupRow {
                bucket: r.try_get(0).map_err(db_err)?,
                ..PricingRollupRow::default()
            };
            for (i, c) in kept.iter().enumerate() {
                let at = i + 1;
                match *c {
                    "phone_number_id" => row.phone_number_id = Some(r.try_get(at).map_err(db_err)?),
                    "country" => row.country = Some(r.try_get(at).map_err(db_err)?),
                    "category" => row.category = Some(r.try_get(at).map_err(db_err)?),
                    "pricing_type" => row.pricing_type = Some(r.try_get(at).map_err(db_err)?),
                    _ => row.tier = Some(r.try_get(at).map_err(db_err)?),
                }
            }
            row.volume = r.try_get(kept.len() + 1).map_err(db_err)?;
            row.cost_micros = r.try_get(kept.len() + 2).map_err(db_err)?;
            out.push(row);
        }
        Ok(out)
    }

    async fn template_rollup(
        &self,
        waba_id: i64,
        from: i64,
        to: i64,
        template_ids: &[i64],
    ) -> Result<Vec<TemplateRollupRow>> {
        let mut sql = Sql::new(
            "SELECT bucket, template_id, sent, delivered, read, clicked, cost_micros \
             FROM template_rollup WHERE waba_id = ",
        );
        sql.int(waba_id)
            .push(" AND bucket >= ")
            .int(from)
            .push(" AND bucket < ")
            .int(to);
        any_of_ints(&mut sql, "template_id", template_ids);
        sql.push(" ORDER BY bucket, template_id");
        let rows = sql.query().fetch_all(&self.read).await.map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(TemplateRollupRow {
                    bucket: r.try_get(0)?,
                    template_id: r.try_get(1)?,
                    sent: r.try_get(2)?,
                    delivered: r.try_get(3)?,
                    read: r.try_get(4)?,
                    clicked: r.try_get(5)?,
                    cost_micros: r.try_get(6)?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(db_err)
    }

    async fn revenue_rollup(&self, from: i64, to: i64) -> Result<Vec<RevenueRollupRow>> {
        let rows = sqlx::query(
            "SELECT waba_id, country, CAST(SUM(volume) AS BIGINT), CAST(SUM(cost_micros) AS BIGINT) \
             FROM pricing_rollup_daily WHERE day >= $1 AND day < $2 GROUP BY waba_id, country",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(RevenueRollupRow {
                    waba_id: r.try_get(0)?,
                    country: r.try_get(1)?,
                    volume: r.try_get(2)?,
                    cost_micros: r.try_get(3)?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(db_err)
    }

    async fn waba_currency(&self, waba_id: i64) -> Result<String> {
        let row = sqlx::query(
            "SELECT c.currency FROM rate_cards c WHERE c.name = COALESCE(\
             (SELECT a.card_name FROM billing_accounts a WHERE a.waba_id = $1), 'default') \
             ORDER BY c.effective_from DESC LIMIT 1",
        )
        .bind(waba_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row
            .and_then(|r| r.try_get::<String, _>(0).ok())
            .unwrap_or_else(|| "USD".into()))
    }

    async fn ledger_message_totals(
        &self,
        waba_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<(i64, i64)> {
        let r = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) \
             FROM billing_ledger WHERE waba_id = $1 AND kind = 'message' AND at >= $2 AND at < $3",
        )
        .bind(waba_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?;
        let count: i64 = r.try_get(0).map_err(db_err)?;
        let sum: i64 = r.try_get(1).map_err(db_err)?;
        Ok((count, -sum))
    }
}
