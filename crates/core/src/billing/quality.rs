//! Quality rating per business number: GREEN, YELLOW or RED from the people who blocked or
//! reported it in the last 7 days, relative to the people it messaged in those 7 days (only
//! signals from people it messaged count, so strangers cannot sink a number). Below 2 % the
//! number is GREEN, from 2 % YELLOW, from 5 % RED; the denominator is at least 20 people, so a
//! single block of a number that messaged three people does not turn it RED. Recomputed when
//! someone blocks, unblocks or reports it and by the limits worker every 6 hours (signals age
//! out). Turning RED sends a `phone_number_quality_update` with `FLAGGED`, leaving RED one
//! with `UNFLAGGED`. The phone-number node reads its rating and its WABA's tier from here
//! (`business::NumberStanding`).

use super::limits::{DAY_MS, EVALUATE_EVERY_MS};
use super::Billing;
use crate::accounts::AccountRow;
use crate::business::NumberStanding;
use crate::error::Result;
use serde_json::json;

/// The window of quality signals and reach.
pub const QUALITY_WINDOW_MS: i64 = 7 * DAY_MS;
/// The smallest denominator of the signal rate.
pub const MIN_REACH: i64 = 20;
/// From this rate (basis points of the people reached) a number is YELLOW.
pub const YELLOW_BP: i64 = 200;
/// From this rate a number is RED.
pub const RED_BP: i64 = 500;

/// A number's quality as last computed.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRow {
    /// The business number.
    pub business_id: i64,
    /// `GREEN`, `YELLOW` or `RED`.
    pub rating: String,
    /// People who blocked or reported it in the window.
    pub signals: i64,
    /// People it messaged in the window.
    pub reach: i64,
    /// When, Unix ms.
    pub evaluated_at: i64,
}

/// The rating of `signals` blocks and reports among `reach` people messaged.
pub fn rating_for(signals: i64, reach: i64) -> &'static str {
    let rate_bp = signals * 10_000 / reach.max(MIN_REACH);
    if rate_bp >= RED_BP {
        "RED"
    } else if rate_bp >= YELLOW_BP {
        "YELLOW"
    } else {
        "GREEN"
    }
}

impl Billing {
    /// A number's stored quality, GREEN when nothing was ever counted against it.
    pub async fn quality_of(&self, number_id: i64) -> Result<QualityRow> {
        Ok(self
            .store
            .number_quality(number_id)
            .await?
            .unwrap_or(QualityRow {
                business_id: number_id,
                rating: "GREEN".into(),
                signals: 0,
                reach: 0,
                evaluated_at: 0,
            }))
    }

    /// Compute a number's quality now, store it, and tell its WABA's apps when it turned RED
    /// or stopped being RED.
    pub(super) async fn recompute_quality(&self, number: &AccountRow) -> Result<QualityRow> {
        let now = self.ground.now();
        let before = self.quality_of(number.id).await?;
        let (signals, reach) = self
            .store
            .quality_inputs(number.id, now - QUALITY_WINDOW_MS, now / DAY_MS - 6)
            .await?;
        let row = QualityRow {
            business_id: number.id,
            rating: rating_for(signals, reach).to_string(),
            signals,
            reach,
            evaluated_at: now,
        };
        self.store.put_number_quality(&row).await?;
        let event = match (before.rating == "RED", row.rating == "RED") {
            (false, true) => Some("FLAGGED"),
            (true, false) => Some("UNFLAGGED"),
            _ => None,
        };
        if let (Some(event), Some(waba)) = (event, number.waba_id) {
            let tier = self.messaging_tier(waba).await?;
            let value = json!({
                "display_phone_number": number.wa_id,
                "event": event,
                "current_limit": tier,
                "max_daily_conversations_per_business": tier,
                "metadata": {"display_phone_number": number.wa_id, "phone_number_id": number.id.to_string()},
            });
            self.announce(waba, number.id, "phone_number_quality_update", value)
                .await?;
        }
        Ok(row)
    }

    /// Recompute the numbers whose quality is older than 6 hours.
    pub(super) async fn recompute_due_quality(&self, now: i64) -> Result<()> {
        for row in self.store.due_quality(now - EVALUATE_EVERY_MS, 100).await? {
            match self.accounts.account(row.business_id).await? {
                Some(number) => {
                    self.recompute_quality(&number).await?;
                }
                None => {
                    // Nothing to rate any more; keep it from coming back every round.
                    self.store
                        .put_number_quality(&QualityRow {
                            evaluated_at: now,
                            ..row
                        })
                        .await?;
                }
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl NumberStanding for Billing {
    async fn standing(&self, number: &AccountRow) -> Result<(String, String)> {
        let quality = self.quality_of(number.id).await?.rating;
        let tier = match number.waba_id {
            Some(w) => self.messaging_tier(w).await?,
            None => super::limits::UNLIMITED.to_string(),
        };
        Ok((quality, tier))
    }
}

#[cfg(test)]
mod tests {
    use super::rating_for;

    #[test]
    fn thresholds() {
        assert_eq!(rating_for(0, 0), "GREEN");
        assert_eq!(rating_for(1, 100), "GREEN");
        assert_eq!(rating_for(1, 40), "YELLOW");
        assert_eq!(rating_for(2, 40), "RED");
        // At least 20 people in the denominator: one block of three people is 5 %.
        assert_eq!(rating_for(1, 3), "RED");
        assert_eq!(rating_for(3, 1000), "GREEN");
    }
}
