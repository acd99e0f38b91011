//! Low-balance warnings. When what a WABA can still spend (its balance plus its credit limit)
//! drops below its threshold, the business hears of it once per crossing: its account is
//! marked (the console's banner reads the mark) and an `account_update` webhook with the
//! event `LOW_BALANCE` is queued in the outbox in the same transaction, so it survives
//! restarts. Climbing back to the threshold (a top-up) clears the mark and re-arms the
//! warning. Charges are written by the delivery commit, which this never slows down: a worker
//! checks, every [`PASS_EVERY`], the WABAs with ledger entries written since its last pass;
//! top-ups, adjustments and changed terms are checked at once. A WABA with no credit limit
//! (`None`) is never low. Entries are found by when they were written (`at`), since rating
//! gives a charge its id when the message is sent, long before it may be delivered.

use super::amounts::format_micros;
use super::balances::available;
use super::Billing;
use crate::chats::{WebhookEvent, WebhookWork};
use crate::error::Result;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// How often the worker looks for WABAs with new ledger entries.
pub const PASS_EVERY: Duration = Duration::from_secs(1);
/// How far before the latest entry it saw each pass looks again, so an entry whose commit
/// came a little after a later-stamped one is still checked.
const OVERLAP_MS: i64 = 5_000;

impl Billing {
    /// Compare a WABA's available amount with its threshold and mark or clear its warning;
    /// returns whether a warning was given now.
    pub async fn check_low_balance(&self, waba_id: i64) -> Result<bool> {
        let (row, currency) = self.store.balance_account(waba_id).await?;
        if row.credit_limit_micros.is_none() {
            // No limit, never low: the ledger is not even summed.
            if row.low_balance_warned_at.is_some() {
                self.store.clear_low_balance(waba_id).await?;
            }
            return Ok(false);
        }
        let balance = self.store.balance_micros(waba_id, None).await?;
        let low = available(&row, balance).filter(|a| *a < row.low_balance_micros);
        match (low, row.low_balance_warned_at) {
            (Some(available), None) => {
                let now = self.ground.now();
                let work = WebhookWork {
                    business_id: 0,
                    waba_id: Some(waba_id),
                    event: WebhookEvent::WabaUpdate {
                        field: "account_update".into(),
                        value: json!({
                            "event": "LOW_BALANCE",
                            "balance_info": {
                                "currency": currency,
                                "balance": format_micros(balance, &currency),
                                "balance_micros": balance,
                                "available": format_micros(available, &currency),
                                "available_micros": available,
                                "threshold": format_micros(row.low_balance_micros, &currency),
                                "threshold_micros": row.low_balance_micros,
                            },
                        }),
                        timestamp: now,
                    },
                };
                let marked = self.store.mark_low_balance(waba_id, now, &work).await?;
                if marked {
                    self.ground.outbox_ready.notify_one();
                }
                Ok(marked)
            }
            (None, Some(_)) => {
                self.store.clear_low_balance(waba_id).await?;
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// One pass of the worker: check the WABAs with ledger entries written at or after
    /// `since` (Unix ms); returns the latest entry time seen.
    pub async fn low_balance_pass(&self, since: i64) -> Result<i64> {
        let (wabas, latest) = self.store.wabas_charged_since(since).await?;
        for waba in wabas {
            if let Err(e) = self.check_low_balance(waba).await {
                tracing::warn!(waba, error = %e, "low-balance check");
            }
        }
        Ok(latest.max(since))
    }

    /// Run the low-balance worker until the server stops. Its first pass checks every WABA
    /// with a ledger; each later one the WABAs with entries since shortly before the latest
    /// it saw, or before now if the clock went back (tests move it).
    pub fn spawn_low_balance_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let billing = self.clone();
        tokio::spawn(async move {
            let stopping = billing.ground.stopping();
            tokio::pin!(stopping);
            let mut latest = i64::MIN;
            loop {
                let since = latest.min(billing.ground.now()).saturating_sub(OVERLAP_MS);
                match billing.low_balance_pass(since).await {
                    Ok(n) => latest = latest.max(n),
                    Err(e) => tracing::warn!(error = %e, "low-balance worker"),
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(PASS_EVERY) => {}
                }
            }
        })
    }
}
