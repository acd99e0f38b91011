//! SQL of ads (`0022_ads.sql`): campaigns, their daily counters (`ad_days`), the frequency-cap
//! rows (`ad_frequency`, deleted once their day is over), hidden ads, reports, referral tokens
//! and chat origins. An impression's counters, its frequency row and its ledger entry are
//! written in one transaction whose conditional updates enforce the cap and the pace, so two
//! nodes racing for the last of a budget cannot both win. Implements `wasla_core::status`'
//! [`AdStore`].

use crate::{db_err, placeholders, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::status::ads::{
    AdDayRow, AdStore, CampaignRow, ChatOriginRow, ImpressionOutcome, ImpressionWrite, ReferralRow,
};
use wasla_core::Result;

const CAMPAIGN: &str = "SELECT id, waba_id, number_id, code, name, status, rejection_reason, \
     media_id, media_kind, thumbnail_id, headline, body, button_text, welcome_message, countries, \
     languages, starts_at, ends_at, daily_budget, bid_cpm, currency, created_at, updated_at \
     FROM ad_campaigns";
const REFERRAL: &str = "SELECT token, campaign_id, person_id, chat_id, via, ctwa_clid, \
     created_at, used_at FROM ad_referrals";

fn list(text: String) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn campaign_row(r: &AnyRow) -> CampaignRow {
    CampaignRow {
        id: r.get(0),
        waba_id: r.get(1),
        number_id: r.get(2),
        code: r.get(3),
        name: r.get(4),
        status: r.get(5),
        rejection_reason: r.get(6),
        media_id: r.get(7),
        media_kind: r.get(8),
        thumbnail_id: r.get(9),
        headline: r.get(10),
        body: r.get(11),
        button_text: r.get(12),
        welcome_message: r.get(13),
        countries: list(r.get(14)),
        languages: list(r.get(15)),
        starts_at: r.get(16),
        ends_at: r.get(17),
        daily_budget: r.get(18),
        bid_cpm: r.get(19),
        currency: r.get(20),
        created_at: r.get(21),
        updated_at: r.get(22),
    }
}

fn referral_row(r: &AnyRow) -> ReferralRow {
    ReferralRow {
        token: r.get(0),
        campaign_id: r.get(1),
        person_id: r.get(2),
        chat_id: r.get(3),
        via: r.get(4),
        ctwa_clid: r.get(5),
        created_at: r.get(6),
        used_at: r.get(7),
    }
}

fn day_row(r: &AnyRow) -> AdDayRow {
    AdDayRow {
        day: r.get(0),
        impressions: r.get(1),
        taps: r.get(2),
        chats_started: r.get(3),
        spend_micros: r.get(4),
    }
}

/// Make sure a campaign's day has its counters row.
async fn ensure_day(conn: &mut sqlx::AnyConnection, campaign_id: i64, day: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO ad_days (campaign_id, day, impressions, taps, chats_started, spend_micros) \
         VALUES ($1, $2, 0, 0, 0, 0) ON CONFLICT (campaign_id, day) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(day)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl AdStore for SqlStore {
    async fn insert_campaign(&self, c: &CampaignRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO ad_campaigns (id, waba_id, number_id, code, name, status, \
             rejection_reason, media_id, media_kind, thumbnail_id, headline, body, button_text, \
             welcome_message, countries, languages, starts_at, ends_at, daily_budget, bid_cpm, \
             currency, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
        )
        .bind(c.id)
        .bind(c.waba_id)
        .bind(c.number_id)
        .bind(&c.code)
        .bind(&c.name)
        .bind(&c.status)
        .bind(&c.rejection_reason)
        .bind(c.media_id)
        .bind(&c.media_kind)
        .bind(c.thumbnail_id)
        .bind(&c.headline)
        .bind(&c.body)
        .bind(&c.button_text)
        .bind(&c.welcome_message)
        .bind(c.countries.join(","))
        .bind(c.languages.join(","))
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.daily_budget)
        .bind(c.bid_cpm)
        .bind(&c.currency)
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn campaign(&self, id: i64) -> Result<Option<CampaignRow>> {
        let row = sqlx::query(&format!("{CAMPAIGN} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(campaign_row))
    }

    async fn campaign_by_code(&self, code: &str) -> Result<Option<CampaignRow>> {
        let row = sqlx::query(&format!("{CAMPAIGN} WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(campaign_row))
    }

    async fn campaigns_of(&self, waba_id: i64) -> Result<Vec<CampaignRow>> {
        let rows = sqlx::query(&format!("{CAMPAIGN} WHERE waba_id = $1 ORDER BY id DESC"))
            .bind(waba_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(campaign_row).collect())
    }

    async fn campaigns_in(&self, status: Option<&str>, limit: i64) -> Result<Vec<CampaignRow>> {
        let rows = match status {
            Some(s) => {
                sqlx::query(&format!(
                    "{CAMPAIGN} WHERE status = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(s)
                .bind(limit)
                .fetch_all(&self.read)
                .await
            }
            None => {
                sqlx::query(&format!("{CAMPAIGN} ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(&self.read)
                    .await
            }
        }
        .map_err(db_err)?;
        Ok(rows.iter().map(campaign_row).collect())
    }

    async fn running_campaigns(&self, now: i64) -> Result<Vec<CampaignRow>> {
        let rows = sqlx::query(&format!(
            "{CAMPAIGN} WHERE status = 'approved' AND (starts_at IS NULL OR starts_at <= $1) \
             AND (ends_at IS NULL OR ends_at > $1) ORDER BY id"
        ))
        .bind(now)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(campaign_row).collect())
    }

    async fn set_campaign_status(
        &self,
        id: i64,
        from: &[&str],
        to: &str,
        reason: Option<&str>,
        at: i64,
    ) -> Result<bool> {
        let sql = format!(
            "UPDATE ad_campaigns SET status = $1, rejection_reason = $2, updated_at = $3 \
             WHERE id = $4 AND status IN ({})",
            placeholders(5, from.len())
        );
        let mut q = sqlx::query(&sql).bind(to).bind(reason).bind(at).bind(id);
        for s in from {
            q = q.bind(*s);
        }
        let done = q.execute(&self.write).await.map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn ad_days(&self, campaign_id: i64) -> Result<Vec<AdDayRow>> {
        let rows = sqlx::query(
            "SELECT day, impressions, taps, chats_started, spend_micros FROM ad_days \
             WHERE campaign_id = $1 ORDER BY day DESC",
        )
        .bind(campaign_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(day_row).collect())
    }

    async fn ad_day(&self, campaign_id: i64, day: &str) -> Result<AdDayRow> {
        let row = sqlx::query(
            "SELECT day, impressions, taps, chats_started, spend_micros FROM ad_days \
             WHERE campaign_id = $1 AND day = $2",
        )
        .bind(campaign_id)
        .bind(day)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(row.as_ref().map(day_row).unwrap_or_else(|| AdDayRow {
            day: day.to_string(),
            ..Default::default()
        }))
    }

    async fn report_counts(&self, campaign_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if campaign_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT campaign_id, COUNT(*) FROM ad_reports WHERE campaign_id IN ({}) \
             GROUP BY campaign_id",
            placeholders(1, campaign_ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in campaign_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn reports(&self, campaign_id: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT reason, created_at FROM ad_reports WHERE campaign_id = $1 \
             ORDER BY created_at DESC",
        )
        .bind(campaign_id)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn shown_today(&self, person_id: i64, days: &[(i64, String)]) -> Result<Vec<(i64, i64)>> {
        let mut out = Vec::new();
        for (campaign, day) in days {
            let row = sqlx::query(
                "SELECT shown FROM ad_frequency WHERE person_id = $1 AND campaign_id = $2 \
                 AND day = $3",
            )
            .bind(person_id)
            .bind(*campaign)
            .bind(day)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
            if let Some(r) = row {
                out.push((*campaign, r.get(0)));
            }
        }
        Ok(out)
    }

    async fn hidden_by(&self, person_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT campaign_id FROM ad_hidden WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(&self.read)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn record_impression(&self, w: &ImpressionWrite) -> Result<ImpressionOutcome> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let capped = sqlx::query(
            "INSERT INTO ad_frequency (person_id, campaign_id, day, shown, day_ends_at) \
             VALUES ($1, $2, $3, 1, $4) ON CONFLICT (person_id, campaign_id, day) \
             DO UPDATE SET shown = ad_frequency.shown + 1 WHERE ad_frequency.shown < $5",
        )
        .bind(w.person_id)
        .bind(w.campaign_id)
        .bind(&w.day)
        .bind(w.day_ends_at)
        .bind(w.cap)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected()
            == 0;
        if capped {
            tx.rollback().await.map_err(db_err)?;
            return Ok(ImpressionOutcome::Capped);
        }
        ensure_day(&mut tx, w.campaign_id, &w.day).await?;
        let cost = -w.ledger.amount_micros;
        let paced = sqlx::query(
            "UPDATE ad_days SET impressions = impressions + 1, spend_micros = spend_micros + $1 \
             WHERE campaign_id = $2 AND day = $3 AND spend_micros + $1 <= $4",
        )
        .bind(cost)
        .bind(w.campaign_id)
        .bind(&w.day)
        .bind(w.spend_allowed_micros)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected()
            == 0;
        if paced {
            tx.rollback().await.map_err(db_err)?;
            return Ok(ImpressionOutcome::Paced);
        }
        crate::billing::ledger::insert_entry(&mut tx, &w.ledger).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ImpressionOutcome::Recorded)
    }

    async fn hide_ad(&self, person_id: i64, campaign_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO ad_hidden (person_id, campaign_id) VALUES ($1, $2) \
             ON CONFLICT (person_id, campaign_id) DO NOTHING",
        )
        .bind(person_id)
        .bind(campaign_id)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn report_ad(
        &self,
        person_id: i64,
        campaign_id: i64,
        reason: &str,
        at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ad_reports (campaign_id, reporter_id, reason, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, reporter_id) \
             DO UPDATE SET reason = $3, created_at = $4",
        )
        .bind(campaign_id)
        .bind(person_id)
        .bind(reason)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn insert_referral(&self, r: &ReferralRow, day: &str) -> Result<()> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO ad_referrals (token, campaign_id, person_id, chat_id, via, ctwa_clid, \
             created_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(&r.token)
        .bind(r.campaign_id)
        .bind(r.person_id)
        .bind(r.chat_id)
        .bind(&r.via)
        .bind(&r.ctwa_clid)
        .bind(r.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        ensure_day(&mut tx, r.campaign_id, day).await?;
        sqlx::query("UPDATE ad_days SET taps = taps + 1 WHERE campaign_id = $1 AND day = $2")
            .bind(r.campaign_id)
            .bind(day)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn referral(&self, token: &str) -> Result<Option<ReferralRow>> {
        let row = sqlx::query(&format!("{REFERRAL} WHERE token = $1"))
            .bind(token)
            .fetch_optional(&self.write)
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(referral_row))
    }

    async fn use_referral(&self, token: &str, o: &ChatOriginRow, day: &str) -> Result<bool> {
        let mut tx = self.write.begin().await.map_err(db_err)?;
        let fresh = sqlx::query(
            "UPDATE ad_referrals SET used_at = $1 WHERE token = $2 AND used_at IS NULL",
        )
        .bind(o.at)
        .bind(token)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected()
            == 1;
        if !fresh {
            tx.rollback().await.map_err(db_err)?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO ad_chat_origins (chat_id, campaign_id, via, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (chat_id) DO NOTHING",
        )
        .bind(o.chat_id)
        .bind(o.campaign_id)
        .bind(&o.via)
        .bind(o.at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        ensure_day(&mut tx, o.campaign_id, day).await?;
        sqlx::query(
            "UPDATE ad_days SET chats_started = chats_started + 1 \
             WHERE campaign_id = $1 AND day = $2",
        )
        .bind(o.campaign_id)
        .bind(day)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn chat_origins(&self, chat_ids: &[i64]) -> Result<Vec<ChatOriginRow>> {
        if chat_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT chat_id, campaign_id, via, at FROM ad_chat_origins WHERE chat_id IN ({})",
            placeholders(1, chat_ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chat_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.read).await.map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| ChatOriginRow {
                chat_id: r.get(0),
                campaign_id: r.get(1),
                via: r.get(2),
                at: r.get(3),
            })
            .collect())
    }

    async fn sweep_ads(&self, now: i64, tokens_before: i64) -> Result<u64> {
        let a = sqlx::query("DELETE FROM ad_frequency WHERE day_ends_at <= $1")
            .bind(now)
            .execute(&self.write)
            .await
            .map_err(db_err)?
            .rows_affected();
        let b = sqlx::query("DELETE FROM ad_referrals WHERE created_at < $1")
            .bind(tokens_before)
            .execute(&self.write)
            .await
            .map_err(db_err)?
            .rows_affected();
        Ok(a + b)
    }

    async fn frequency_rows(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM ad_frequency")
            .fetch_one(&self.read)
            .await
            .map_err(db_err)?;
        Ok(row.get(0))
    }
}
