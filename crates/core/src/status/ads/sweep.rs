//! The ads sweeper: once a campaign's day is over its frequency-cap rows (person, campaign,
//! day) are deleted, so nothing about who saw an ad outlives the day its cap counts; referral
//! tokens go a day after they were handed out. Runs on the injected clock on every node (a
//! delete is its own claim).

use super::referral::REFERRAL_TTL_MS;
use crate::error::Result;
use crate::status::Status;
use std::sync::Arc;
use std::time::Duration;

/// Pause between rounds.
const EVERY: Duration = Duration::from_millis(500);

impl Status {
    /// Run the ads sweeper until the server stops.
    pub fn spawn_ads_sweep_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let status = self.clone();
        tokio::spawn(async move {
            let stopping = status.ground.stopping();
            tokio::pin!(stopping);
            loop {
                if let Err(e) = status.sweep_ads().await {
                    tracing::error!(error = %e, "ads sweeper");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(EVERY) => {}
                }
            }
        })
    }

    /// One round: delete what is over; how many rows went.
    pub async fn sweep_ads(&self) -> Result<u64> {
        let now = self.ground.now();
        self.store.sweep_ads(now, now - REFERRAL_TTL_MS).await
    }

    /// Frequency-cap rows still stored (tests check they are gone after their day).
    pub async fn ad_frequency_rows(&self) -> Result<i64> {
        self.store.frequency_rows().await
    }
}
