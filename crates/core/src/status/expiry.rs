//! The expiry worker: 24 hours after posting, by the injected clock, an update is deleted with
//! its views and its media blob. Reads already hide an update once its time is up; the worker
//! frees the space. Every node may run it: deleting the row is the claim, so only the node
//! whose delete removed it deletes the blob.

use super::Status;
use crate::error::Result;
use std::sync::Arc;
use std::time::Duration;

/// Updates handled per round.
const BATCH: i64 = 200;
/// Pause between rounds when nothing was due.
const IDLE: Duration = Duration::from_millis(500);

impl Status {
    /// Run the expiry worker until the server stops.
    pub fn spawn_status_expiry_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let status = self.clone();
        tokio::spawn(async move {
            let stopping = status.ground.stopping();
            tokio::pin!(stopping);
            loop {
                let busy = match status.expire_round().await {
                    Ok(n) => n as i64 == BATCH,
                    Err(e) => {
                        tracing::error!(error = %e, "status expiry worker");
                        false
                    }
                };
                if busy {
                    continue;
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(IDLE) => {}
                }
            }
        })
    }

    /// Delete the updates whose time is up; returns how many were looked at.
    pub async fn expire_round(&self) -> Result<usize> {
        let due = self
            .store
            .expired_statuses(self.ground.now(), BATCH)
            .await?;
        for row in &due {
            if self.store.delete_status(row.id).await? && row.file_size > 0 {
                self.ground.blobs.delete(row.id).await.ok();
            }
        }
        Ok(due.len())
    }
}
