//! Business-initiated messaging limits per business portfolio (one WABA here), as brief §5
//! has them since October 2025: a template sent outside an open customer service window
//! counts its recipient among the WABA's unique recipients of the rolling 24 hours, and the
//! tier (`TIER_250` → `TIER_2K` → `TIER_10K` → `TIER_100K` → `TIER_UNLIMITED`) caps that
//! count. A send over the cap is accepted and then fails with 131048. Every 6 hours (on the
//! injected clock) a limited WABA is evaluated: once at least half of its limit was used on
//! a day of the last 7 and none of its numbers is rated RED, it moves up one tier, and its
//! apps hear of it (`phone_number_quality_update` per number and `account_update`). A WABA
//! without a stored tier has the configured default (`limits.messaging_tier`, unlimited
//! unless the operator says otherwise), so the send path costs nothing until limits are on.

use super::Billing;
use crate::accounts::AccountRow;
use crate::cache::BoundedMap;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasla_types::limits::{LimitsView, NumberQualityView, TierChangeView};

/// The tiers, lowest first, with the unique recipients each allows per rolling 24 hours
/// (-1: no limit).
pub const TIERS: &[(&str, i64)] = &[
    ("TIER_250", 250),
    ("TIER_2K", 2_000),
    ("TIER_10K", 10_000),
    ("TIER_100K", 100_000),
    ("TIER_UNLIMITED", -1),
];
/// The tier of a WABA that nobody limited.
pub const UNLIMITED: &str = "TIER_UNLIMITED";
/// The rolling window of unique recipients.
pub const WINDOW_MS: i64 = 24 * 3600 * 1000;
/// How often a limited WABA is evaluated for an upgrade.
pub const EVALUATE_EVERY_MS: i64 = 6 * 3600 * 1000;
/// One day, Unix ms.
pub const DAY_MS: i64 = 86_400_000;
/// How long this node trusts what it read of tiers and blocks.
pub(super) const CACHE_TTL: Duration = Duration::from_secs(2);

/// The unique recipients a tier allows per rolling 24 hours (-1: no limit), or `None` for an
/// unknown tier.
pub fn tier_limit(tier: &str) -> Option<i64> {
    TIERS.iter().find(|t| t.0 == tier).map(|t| t.1)
}

/// The tier above this one, if any.
pub fn next_tier(tier: &str) -> Option<&'static str> {
    let i = TIERS.iter().position(|t| t.0 == tier)?;
    TIERS.get(i + 1).map(|t| t.0)
}

/// Someone blocked an account.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockRow {
    /// Who blocked.
    pub blocker_id: i64,
    /// Who is blocked.
    pub blocked_id: i64,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// When, Unix ms.
    pub created_at: i64,
}

/// A person reported an account.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Row id.
    pub id: i64,
    /// Who reported.
    pub reporter_id: i64,
    /// Who was reported.
    pub reported_id: i64,
    /// Why.
    pub reason: String,
    /// When, Unix ms.
    pub created_at: i64,
}

/// A WABA's stored tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    /// The WABA.
    pub waba_id: i64,
    /// Its tier.
    pub tier: String,
    /// When it was last evaluated for an upgrade (or set), Unix ms.
    pub evaluated_at: i64,
    /// When the tier last changed, Unix ms.
    pub updated_at: i64,
}

/// One change of a WABA's tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierChangeRow {
    /// Row id.
    pub id: i64,
    /// The WABA.
    pub waba_id: i64,
    /// Before.
    pub old_tier: String,
    /// After.
    pub new_tier: String,
    /// `upgrade` or `operator`.
    pub reason: String,
    /// When, Unix ms.
    pub at: i64,
}

/// What counting a business-initiated recipient found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The person was already among the recipients of the last 24 hours.
    AlreadyCounted,
    /// The person is counted now; the count with them.
    Counted(i64),
    /// The limit is reached: not counted.
    Refused,
}

/// What this node keeps in memory for the send path: tiers and blocks it read a moment ago,
/// and the (number, person) pairs whose reach it recorded today.
#[derive(Default)]
pub(super) struct LimitsState {
    /// WABA → (when read, tier).
    pub(super) tiers: BoundedMap<i64, (Instant, String)>,
    /// (number, person) → (when read, bit 1: the person blocked the number, bit 2: the
    /// number blocked the person).
    pub(super) pairs: BoundedMap<(i64, i64), (Instant, u8)>,
    /// Bumped by every block change on this node: a read of the blocks that began before a
    /// change is not cached after it (it may have read the store before the change).
    pub(super) pairs_changed: std::sync::atomic::AtomicU64,
    /// (number, person) → the Unix day whose reach was recorded.
    pub(super) reach: BoundedMap<(i64, i64), i64>,
}

impl Billing {
    /// A WABA's messaging limit tier: the stored one, else the configured default.
    pub async fn messaging_tier(&self, waba_id: i64) -> Result<String> {
        if let Some((at, tier)) = self.limits.tiers.get(&waba_id) {
            if at.elapsed() < CACHE_TTL {
                return Ok(tier);
            }
        }
        let tier = match self.store.messaging_tier(waba_id).await? {
            Some(row) => row.tier,
            None => {
                let tier = self.default_tier();
                if tier != UNLIMITED {
                    // From now on the worker evaluates it.
                    self.store
                        .ensure_messaging_tier(waba_id, &tier, self.ground.now())
                        .await?;
                }
                tier
            }
        };
        self.limits
            .tiers
            .put(waba_id, (Instant::now(), tier.clone()));
        Ok(tier)
    }

    /// The configured tier of a WABA nobody set (unknown names count as unlimited).
    fn default_tier(&self) -> String {
        let t = self.ground.config.limits.messaging_tier.trim();
        if tier_limit(t).is_some() {
            t.to_string()
        } else {
            UNLIMITED.to_string()
        }
    }

    /// Count a business-initiated message of `number` to a person against its WABA's limit:
    /// 131048 when the limit is reached.
    pub(super) async fn admit_business_initiated(
        &self,
        number: &AccountRow,
        person_id: i64,
    ) -> Result<Option<i64>> {
        let Some(waba) = number.waba_id else {
            return Ok(None);
        };
        let tier = self.messaging_tier(waba).await?;
        let limit = tier_limit(&tier).unwrap_or(-1);
        if limit < 0 {
            return Ok(None);
        }
        let now = self.ground.now();
        let admission = self
            .store
            .admit_recipient(waba, person_id, now, now - WINDOW_MS, limit)
            .await?;
        Ok((admission == Admission::Refused).then_some(131048))
    }

    /// The operator sets a WABA's tier; its apps hear of a change.
    pub async fn set_messaging_tier(&self, waba_id: i64, tier: &str) -> Result<LimitsView> {
        if tier_limit(tier).is_none() {
            let names: Vec<&str> = TIERS.iter().map(|t| t.0).collect();
            return Err(Error::bad(format!(
                "tier must be one of {}",
                names.join(", ")
            )));
        }
        if self.business.waba_row(waba_id).await?.is_none() {
            return Err(Error::not_found("no such business"));
        }
        let old = self.messaging_tier(waba_id).await?;
        let now = self.ground.now();
        self.store
            .set_messaging_tier(self.ground.ids.next(), waba_id, &old, tier, "operator", now)
            .await?;
        self.limits
            .tiers
            .put(waba_id, (Instant::now(), tier.to_string()));
        if old != tier {
            self.announce_tier(waba_id, &old, tier).await?;
        }
        self.limits_view(waba_id).await
    }

    /// A WABA's tier, its use, its numbers' quality and its tier history (admin API).
    pub async fn limits_view(&self, waba_id: i64) -> Result<LimitsView> {
        if self.business.waba_row(waba_id).await?.is_none() {
            return Err(Error::not_found("no such business"));
        }
        let tier = self.messaging_tier(waba_id).await?;
        let now = self.ground.now();
        let row = self.store.messaging_tier(waba_id).await?;
        let mut numbers = Vec::new();
        for n in self.business.phone_numbers(waba_id).await? {
            let q = self.quality_of(n.id).await?;
            numbers.push(NumberQualityView {
                id: n.id.to_string(),
                display_phone_number: n.phone.clone(),
                quality_rating: q.rating,
                signals: q.signals,
                reach: q.reach,
            });
        }
        let history = self
            .store
            .tier_changes(waba_id, 50)
            .await?
            .into_iter()
            .map(|c| TierChangeView {
                old_tier: c.old_tier,
                new_tier: c.new_tier,
                reason: c.reason,
                at: c.at,
            })
            .collect();
        Ok(LimitsView {
            waba_id: waba_id.to_string(),
            max_daily_conversations_per_business: tier_limit(&tier).unwrap_or(-1),
            unique_recipients_24h: self
                .store
                .recipients_since(waba_id, now - WINDOW_MS)
                .await?,
            peak_7d: self.store.peak_since(waba_id, now / DAY_MS - 6).await?,
            next_evaluation_at: row
                .filter(|r| r.tier != UNLIMITED)
                .map(|r| r.evaluated_at + EVALUATE_EVERY_MS),
            messaging_limit_tier: tier,
            numbers,
            history,
        })
    }

    /// One round of the limits worker: evaluate the WABAs due for an upgrade, recompute the
    /// quality ratings due, and forget counts older than the windows.
    pub async fn evaluate_limits(&self) -> Result<()> {
        let now = self.ground.now();
        for row in self
            .store
            .due_tier_evaluations(now - EVALUATE_EVERY_MS, 100)
            .await?
        {
            if !self
                .store
                .claim_tier_evaluation(row.waba_id, row.evaluated_at, now)
                .await?
            {
                continue;
            }
            self.evaluate_tier(&row, now).await?;
        }
        self.recompute_due_quality(now).await?;
        self.store
            .prune_limits(now - WINDOW_MS, now / DAY_MS - 8)
            .await
    }

    /// Upgrade a WABA one tier if it used half its limit on a day of the last 7 and none of
    /// its numbers is rated RED.
    async fn evaluate_tier(&self, row: &TierRow, now: i64) -> Result<()> {
        let (Some(limit), Some(next)) = (tier_limit(&row.tier), next_tier(&row.tier)) else {
            return Ok(());
        };
        if limit < 0 {
            return Ok(());
        }
        let peak = self.store.peak_since(row.waba_id, now / DAY_MS - 6).await?;
        if peak * 2 < limit {
            return Ok(());
        }
        for n in self.business.phone_numbers(row.waba_id).await? {
            if self.quality_of(n.id).await?.rating == "RED" {
                return Ok(());
            }
        }
        self.store
            .set_messaging_tier(
                self.ground.ids.next(),
                row.waba_id,
                &row.tier,
                next,
                "upgrade",
                now,
            )
            .await?;
        self.limits
            .tiers
            .put(row.waba_id, (Instant::now(), next.to_string()));
        self.announce_tier(row.waba_id, &row.tier, next).await
    }

    /// Tell the WABA's apps its tier changed: a `phone_number_quality_update` (UPGRADE or
    /// DOWNGRADE) per number and one `account_update`.
    async fn announce_tier(&self, waba_id: i64, old: &str, new: &str) -> Result<()> {
        let rank = |t: &str| TIERS.iter().position(|x| x.0 == t).unwrap_or(0);
        let event = if rank(new) > rank(old) {
            "UPGRADE"
        } else {
            "DOWNGRADE"
        };
        let numbers = self.business.phone_numbers(waba_id).await?;
        for n in &numbers {
            let value = json!({
                "display_phone_number": n.wa_id,
                "event": event,
                "old_limit": old,
                "current_limit": new,
                "max_daily_conversations_per_business": new,
                "metadata": {"display_phone_number": n.wa_id, "phone_number_id": n.id.to_string()},
            });
            self.announce(waba_id, n.id, "phone_number_quality_update", value)
                .await?;
        }
        let mut value = json!({
            "event": "MESSAGING_LIMIT_UPDATE",
            "waba_info": {"waba_id": waba_id.to_string(), "old_limit": old, "current_limit": new},
            "max_daily_conversations_per_business": tier_limit(new).unwrap_or(-1),
        });
        if let Some(n) = numbers.first() {
            value["metadata"] =
                json!({"display_phone_number": n.wa_id, "phone_number_id": n.id.to_string()});
        }
        self.announce(waba_id, 0, "account_update", value).await
    }

    /// Queue a WABA-level webhook in the outbox (it survives restarts and is retried).
    pub(super) async fn announce(
        &self,
        waba_id: i64,
        business_id: i64,
        field: &str,
        value: Value,
    ) -> Result<()> {
        self.integration
            .enqueue_waba_update(waba_id, business_id, field, value)
            .await
    }

    /// Run [`Billing::evaluate_limits`] every second until the server stops (the 6-hour and
    /// 7-day periods are read from the injected clock, so tests move them).
    pub fn spawn_limits_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let stopping = app.ground.stopping();
            tokio::pin!(stopping);
            loop {
                if let Err(e) = app.evaluate_limits().await {
                    tracing::error!(error = %e, "limits worker");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                }
            }
        })
    }
}
