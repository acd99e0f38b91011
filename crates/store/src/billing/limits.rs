//! Limits and quality in SQL (`0017_limits.sql`): blocks, reports, marketing opt-outs, each
//! WABA's messaging limit tier and its history, the unique recipients of business-initiated
//! messages in the rolling 24 hours with the daily peak, and numbers' quality and reach: the
//! [`LimitsStore`] impl. Counting a recipient reads one key of `limit_recipients` and, only
//! for a person not yet counted, the window's count from its `(waba_id, last_at)` index, in
//! one transaction (on PostgreSQL under a lock of the WABA's tier row, so two nodes cannot
//! both take the last place).

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::billing::{
    Admission, BlockRow, LimitsStore, QualityRow, ReportRow, TierChangeRow, TierRow,
};
use wasla_core::Result;

fn tier_row(r: &AnyRow) -> TierRow {
    TierRow {
        waba_id: r.get(0),
        tier: r.get(1),
        evaluated_at: r.get(2),
        updated_at: r.get(3),
    }
}

fn quality_row(r: &AnyRow) -> QualityRow {
    QualityRow {
        business_id: r.get(0),
        rating: r.get(1),
        signals: r.get(2),
        reach: r.get(3),
        evaluated_at: r.get(4),
    }
}

#[async_trait]
impl LimitsStore for SqlStore {
    async fn put_blocks(
        &self,
        blocker: i64,
        blocked: &[i64],
        reason: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for b in blocked {
            sqlx::query(
                "INSERT INTO blocks (blocker_id, blocked_id, reason, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
            )
            .bind(blocker)
            .bind(*b)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn delete_blocks(&self, blocker: i64, blocked: &[i64]) -> Result<()> {
        if blocked.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id IN ({})",
            placeholders(2, blocked.len())
        );
        let mut q = sqlx::query(&sql).bind(blocker);
        for b in blocked {
            q = q.bind(*b);
        }
        q.execute(&self.write).await.map_err(db_err)?;
        Ok(())
    }

    async fn blocks_between(&self, a: i64, b: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT blocker_id, blocked_id FROM blocks \
             WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
        )
        .bind(a)
        .bind(b)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn blocks_by(
        &self,
        blocker: i64,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<BlockRow>> {
        let (at, id) = before.unwrap_or((i64::MAX, i64::MAX));
        let rows = sqlx::query(
            "SELECT blocker_id, blocked_id, reason, created_at FROM blocks WHERE blocker_id = $1 \
             AND (created_at < $2 OR (created_at = $2 AND blocked_id < $3)) \
             ORDER BY created_at DESC, blocked_id DESC LIMIT $4",
        )
        .bind(blocker)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| BlockRow {
                blocker_id: r.get(0),
                blocked_id: r.get(1),
                reason: r.get(2),
                created_at: r.get(3),
            })
            .collect())
    }

    async fn put_report(&self, row: &ReportRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO reports (id, reporter_id, reported_id, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.reporter_id)
        .bind(row.reported_id)
        .bind(&row.reason)
        .bind(row.created_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn has_reported(&self, reporter: i64, reported: i64) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 FROM reports WHERE reporter_id = $1 AND reported_id = $2 LIMIT 1",
        )
        .bind(reporter)
        .bind(reported)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.is_some())
    }

    async fn set_marketing_opt_out(
        &self,
        person: i64,
        waba: i64,
        opt_out: bool,
        now: i64,
    ) -> Result<()> {
        let q = if opt_out {
            sqlx::query(
                "INSERT INTO marketing_opt_outs (person_id, waba_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (person_id, waba_id) DO NOTHING",
            )
            .bind(person)
            .bind(waba)
            .bind(now)
        } else {
            sqlx::query("DELETE FROM marketing_opt_outs WHERE person_id = $1 AND waba_id = $2")
                .bind(person)
                .bind(waba)
        };
        q.execute(&self.write).await.map_err(db_err)?;
        Ok(())
    }

    async fn marketing_opted_out(&self, person: i64, waba: i64) -> Result<bool> {
        let row =
            sqlx::query("SELECT 1 FROM marketing_opt_outs WHERE person_id = $1 AND waba_id = $2")
                .bind(person)
                .bind(waba)
                .fetch_optional(&self.read)
                .await
                .map_err(db_err)?;
        Ok(row.is_some())
    }

    async fn messaging_tier(&self, waba: i64) -> Result<Option<TierRow>> {
        let row = sqlx::query(
            "SELECT waba_id, tier, evaluated_at, updated_at FROM messaging_tiers WHERE waba_id = $1",
        )
        .bind(waba)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(tier_row))
    }

    async fn set_messaging_tier(
        &self,
        change_id: i64,
        waba: i64,
        old: &str,
        new: &str,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO messaging_tiers (waba_id, tier, evaluated_at, updated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (waba_id) DO UPDATE \
             SET tier = excluded.tier, evaluated_at = excluded.evaluated_at, updated_at = excluded.updated_at",
        )
        .bind(waba)
        .bind(new)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if old != new {
            sqlx::query(
                "INSERT INTO messaging_tier_changes (id, waba_id, old_tier, new_tier, reason, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(change_id)
            .bind(waba)
            .bind(old)
            .bind(new)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn ensure_messaging_tier(&self, waba: i64, tier: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO messaging_tiers (waba_id, tier, evaluated_at, updated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (waba_id) DO NOTHING",
        )
        .bind(waba)
        .bind(tier)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn tier_changes(&self, waba: i64, limit: i64) -> Result<Vec<TierChangeRow>> {
        let rows = sqlx::query(
            "SELECT id, waba_id, old_tier, new_tier, reason, at FROM messaging_tier_changes \
             WHERE waba_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(waba)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| TierChangeRow {
                id: r.get(0),
                waba_id: r.get(1),
                old_tier: r.get(2),
                new_tier: r.get(3),
                reason: r.get(4),
                at: r.get(5),
            })
            .collect())
    }

    async fn due_tier_evaluations(&self, before: i64, limit: i64) -> Result<Vec<TierRow>> {
        let rows = sqlx::query(
            "SELECT waba_id, tier, evaluated_at, updated_at FROM messaging_tiers \
             WHERE tier <> 'TIER_UNLIMITED' AND evaluated_at <= $1 ORDER BY evaluated_at LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(tier_row).collect())
    }

    async fn claim_tier_evaluation(&self, waba: i64, seen: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE messaging_tiers SET evaluated_at = $3 WHERE waba_id = $1 AND evaluated_at = $2",
        )
        .bind(waba)
        .bind(seen)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn admit_recipient(
        &self,
        waba: i64,
        person: i64,
        now: i64,
        since: i64,
        limit: i64,
    ) -> Result<Admission> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        if tx.backend_name() == "PostgreSQL" {
            sqlx::query("SELECT waba_id FROM messaging_tiers WHERE waba_id = $1 FOR UPDATE")
                .bind(waba)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        let last: Option<i64> = sqlx::query(
            "SELECT last_at FROM limit_recipients WHERE waba_id = $1 AND person_id = $2",
        )
        .bind(waba)
        .bind(person)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .map(|r| r.get(0));
        let counted = last.is_some_and(|t| t > since);
        let mut count = 0;
        if !counted {
            count = sqlx::query(
                "SELECT COUNT(*) FROM limit_recipients WHERE waba_id = $1 AND last_at > $2",
            )
            .bind(waba)
            .bind(since)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get::<i64, _>(0);
            if count >= limit {
                tx.rollback().await.map_err(db_err)?;
                return Ok(Admission::Refused);
            }
        }
        sqlx::query(
            "INSERT INTO limit_recipients (waba_id, person_id, last_at) VALUES ($1, $2, $3) \
             ON CONFLICT (waba_id, person_id) DO UPDATE SET last_at = excluded.last_at",
        )
        .bind(waba)
        .bind(person)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if counted {
            tx.commit().await.map_err(db_err)?;
            return Ok(Admission::AlreadyCounted);
        }
        sqlx::query(
            "INSERT INTO limit_peaks (waba_id, day, peak) VALUES ($1, $2, $3) \
             ON CONFLICT (waba_id, day) DO UPDATE SET peak = \
             CASE WHEN limit_peaks.peak < excluded.peak THEN excluded.peak ELSE limit_peaks.peak END",
        )
        .bind(waba)
        .bind(now / 86_400_000)
        .bind(count + 1)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(Admission::Counted(count + 1))
    }

    async fn recipients_since(&self, waba: i64, since: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM limit_recipients WHERE waba_id = $1 AND last_at > $2",
        )
        .bind(waba)
        .bind(since)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.get(0))
    }

    async fn peak_since(&self, waba: i64, from_day: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COALESCE(MAX(peak), 0) FROM limit_peaks WHERE waba_id = $1 AND day >= $2",
        )
        .bind(waba)
        .bind(from_day)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.get(0))
    }

    async fn prune_limits(&self, before: i64, before_day: i64) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        for (sql, bound) in [
            ("DELETE FROM limit_recipients WHERE last_at <= $1", before),
            ("DELETE FROM limit_peaks WHERE day < $1", before_day),
            ("DELETE FROM number_reach WHERE day < $1", before_day),
        ] {
            sqlx::query(sql)
                .bind(bound)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn note_reach(&self, number: i64, person: i64, day: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO number_reach (business_id, day, person_id) VALUES ($1, $2, $3) \
             ON CONFLICT (business_id, day, person_id) DO NOTHING",
        )
        .bind(number)
        .bind(day)
        .bind(person)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn quality_inputs(&self, number: i64, since: i64, from_day: i64) -> Result<(i64, i64)> {
        let signals: i64 = sqlx::query(
            "SELECT COUNT(*) FROM ( \
               SELECT blocker_id AS p FROM blocks WHERE blocked_id = $1 AND created_at >= $2 \
               UNION SELECT reporter_id FROM reports WHERE reported_id = $1 AND created_at >= $2 \
             ) s WHERE EXISTS (SELECT 1 FROM number_reach r \
               WHERE r.business_id = $1 AND r.day >= $3 AND r.person_id = s.p)",
        )
        .bind(number)
        .bind(since)
        .bind(from_day)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?
        .get(0);
        let reach: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT person_id) FROM number_reach WHERE business_id = $1 AND day >= $2",
        )
        .bind(number)
        .bind(from_day)
        .fetch_one(&self.read)
        .await
        .map_err(db_err)?
        .get(0);
        Ok((signals, reach))
    }

    async fn number_quality(&self, number: i64) -> Result<Option<QualityRow>> {
        let row = sqlx::query(
            "SELECT business_id, rating, signals, reach, evaluated_at FROM number_quality \
             WHERE business_id = $1",
        )
        .bind(number)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(quality_row))
    }

    async fn put_number_quality(&self, row: &QualityRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO number_quality (business_id, rating, signals, reach, evaluated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (business_id) DO UPDATE SET \
             rating = excluded.rating, signals = excluded.signals, reach = excluded.reach, \
             evaluated_at = excluded.evaluated_at",
        )
        .bind(row.business_id)
        .bind(&row.rating)
        .bind(row.signals)
        .bind(row.reach)
        .bind(row.evaluated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn due_quality(&self, before: i64, limit: i64) -> Result<Vec<QualityRow>> {
        let rows = sqlx::query(
            "SELECT business_id, rating, signals, reach, evaluated_at FROM number_quality \
             WHERE evaluated_at <= $1 ORDER BY evaluated_at LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(quality_row).collect())
    }
}
