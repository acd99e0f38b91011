//! The calls' timers: a worker on every node reads the injected clock and ends calls that
//! rang for 45 s unanswered (`no_answer`) and answered calls with a side not heard from for
//! 60 s (`dropped`, a device whose node went away without closing its connection). The
//! compare-and-set of each step lets only one node end a call.

use super::machine::{due, RING_MS, SILENT_MS};
use super::Calls;
use crate::error::Result;
use std::sync::Arc;
use std::time::Duration;

/// Most calls one round ends.
const ROUND: i64 = 100;
/// How often the worker looks.
const EVERY: Duration = Duration::from_millis(250);

impl Calls {
    /// Start the worker; it stops when the server stops.
    pub fn spawn_call_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let calls = self.clone();
        tokio::spawn(async move {
            let stopping = calls.ground.stopping();
            tokio::pin!(stopping);
            loop {
                if let Err(e) = calls.call_round().await {
                    tracing::error!(error = %e, "call worker");
                }
                tokio::select! {
                    _ = &mut stopping => return,
                    _ = tokio::time::sleep(EVERY) => {}
                }
            }
        })
    }

    /// End every call that is due now.
    pub async fn call_round(&self) -> Result<()> {
        let now = self.ground.now();
        let rows = self
            .store
            .due_calls(now - RING_MS, now - SILENT_MS, ROUND)
            .await?;
        for row in rows {
            if let Some(step) = due(&row, now) {
                // Another node or a device may have moved it first.
                let _ = self.step(&row, None, step).await;
            }
        }
        Ok(())
    }
}
