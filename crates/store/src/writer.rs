//! Group commit. Message and receipt writes from every connection queue here; one task takes
//! whatever has queued (up to a batch), runs it in one transaction as a handful of multi-row
//! statements ([`apply_batch`]) and answers each caller after the commit. Under load many
//! writes share one commit (one fsync, one trip to the database per statement kind); when idle
//! a write commits alone at once. If a batch fails, its jobs are retried one by one so one bad
//! job cannot fail its neighbours.

use crate::db_err;
use crate::messages::{apply_batch, Done, Work};
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};
use wasla_core::model::*;
use wasla_core::{Error, Result};

/// Most jobs in one transaction.
const MAX_BATCH: usize = 512;
/// Times the writer yields to other tasks, when under load, before it commits.
const LINGER_YIELDS: usize = 4;

// Jobs and outcomes move once through a channel; their size does not matter.
#[allow(clippy::large_enum_variant)]
enum Job {
    Message(NewMessage, oneshot::Sender<Result<Committed>>),
    Receipts(ReceiptUpdate, oneshot::Sender<Result<Vec<StoredEvent>>>),
}

/// Handle to the writer task.
pub(crate) struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Start the task on `pool`.
    pub(crate) fn start(pool: AnyPool) -> Writer {
        let (tx, rx) = mpsc::channel(16 * MAX_BATCH);
        // The task ends when the last handle is dropped, after finishing what was queued.
        tokio::spawn(run(pool, rx));
        Writer { tx }
    }

    /// Commit a message.
    pub(crate) async fn commit_message(&self, m: NewMessage) -> Result<Committed> {
        let (reply, rx) = oneshot::channel();
        self.submit(Job::Message(m, reply)).await?;
        rx.await.map_err(|_| Error::internal("writer stopped"))?
    }

    /// Apply receipts.
    pub(crate) async fn update_receipts(&self, u: ReceiptUpdate) -> Result<Vec<StoredEvent>> {
        let (reply, rx) = oneshot::channel();
        self.submit(Job::Receipts(u, reply)).await?;
        rx.await.map_err(|_| Error::internal("writer stopped"))?
    }

    async fn submit(&self, job: Job) -> Result<()> {
        self.tx
            .send(job)
            .await
            .map_err(|_| Error::internal("writer stopped"))
    }
}

async fn run(pool: AnyPool, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut last_len = 0;
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if last_len > 1 {
            // Under load (the previous commit was shared): let the tasks that are ready queue
            // their writes too, so that one commit carries them all.
            for _ in 0..LINGER_YIELDS {
                tokio::task::yield_now().await;
                let before = batch.len();
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                if batch.len() == before || batch.len() == MAX_BATCH {
                    break;
                }
            }
        }
        last_len = batch.len();
        let started = std::time::Instant::now();
        let result = run_batch(&pool, &batch).await;
        tracing::debug!(
            jobs = batch.len(),
            micros = started.elapsed().as_micros() as u64,
            "group commit"
        );
        match result {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    reply(job, outcome);
                }
            }
            Err(e) if batch.len() == 1 => reply(batch.pop().expect("one job"), Err(e)),
            Err(e) => {
                tracing::warn!(error = %e, jobs = batch.len(), "batch failed; committing its jobs one by one");
                for job in batch.drain(..) {
                    let one = std::slice::from_ref(&job);
                    let result = run_batch(&pool, one)
                        .await
                        .and_then(|mut o| o.pop().expect("one outcome"));
                    reply(job, result);
                }
            }
        }
    }
}

/// Run jobs in one transaction; each job's own outcome, or `Err` if the transaction failed.
async fn run_batch(pool: &AnyPool, jobs: &[Job]) -> Result<Vec<Result<Done>>> {
    let work: Vec<Work<'_>> = jobs
        .iter()
        .map(|job| match job {
            Job::Message(m, _) => Work::Message(m),
            Job::Receipts(u, _) => Work::Receipts(u),
        })
        .collect();
    let mut tx = pool.begin().await.map_err(db_err)?;
    let out = apply_batch(&mut tx, &work).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(out)
}

fn reply(job: Job, result: Result<Done>) {
    match job {
        Job::Message(_, tx) => {
            let _ = tx.send(result.and_then(|o| match o {
                Done::Message(c) => Ok(c),
                Done::Receipts(_) => Err(Error::internal("mismatched outcome")),
            }));
        }
        Job::Receipts(_, tx) => {
            let _ = tx.send(result.and_then(|o| match o {
                Done::Receipts(e) => Ok(e),
                Done::Message(_) => Err(Error::internal("mismatched outcome")),
            }));
        }
    }
}
