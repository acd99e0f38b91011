//! Group commit. Message and receipt writes from every connection, and the webhook worker's
//! claims and attempt records, queue here; one task takes whatever has queued (up to a batch),
//! runs it in one transaction as a handful of multi-row statements ([`GroupCommit`]) and
//! answers each caller after the commit. Under load many writes share one commit (one fsync,
//! one trip to the database per statement kind); when idle a message commits alone at once. The
//! webhook bookkeeping rides along in the same commits instead of costing two commits of its
//! own per delivery round. Those writes (receipts, claims, attempt records) are not what a
//! sender waits for, so when nothing else is queued they wait up to [`RIDE_ALONG`] for a
//! message to commit with rather than cost a commit (a sync) of their own: at a steady API load
//! that removes about a third of the commits, and a send no longer queues behind a commit that
//! holds only receipts. If a batch fails, its jobs are retried one by one so one bad job
//! cannot fail its neighbours.
//!
//! On PostgreSQL a batch runs through sqlx. On SQLite it runs on the writer thread's own
//! connection ([`SqliteWriter`]) while this task holds sqlx's single write connection, so the
//! other writes (which go through sqlx) wait for the batch as they would for any write.

use crate::db::Db;
use crate::db_err;
use crate::lite::SqliteWriter;
use crate::work::{Done, GroupCommit, Work};
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};
use wasla_core::chats::{Committed, NewMessage, ReceiptUpdate, StoredEvent};
use wasla_core::integration::{AttemptRecord, OutboxRow};
use wasla_core::{Error, Result};

/// Most jobs in one transaction.
const MAX_BATCH: usize = 4096;
/// Longest a batch of receipts and webhook bookkeeping waits for a message to share its
/// commit with.
const RIDE_ALONG: std::time::Duration = std::time::Duration::from_millis(5);
/// Times the writer yields to other tasks, when under load, before it commits.
const LINGER_YIELDS: usize = 4;

// Jobs and outcomes move once through a channel; their size does not matter.
#[allow(clippy::large_enum_variant)]
enum Job {
    Message(NewMessage, oneshot::Sender<Result<Committed>>),
    Receipts(ReceiptUpdate, oneshot::Sender<Result<Vec<StoredEvent>>>),
    Attempts(Vec<AttemptRecord>, oneshot::Sender<Result<()>>),
    Claim(i64, i64, i64, oneshot::Sender<Result<Vec<OutboxRow>>>),
}

/// Handle to the writer task.
pub(crate) struct Writer {
    tx: mpsc::Sender<Job>,
}

/// Where batches run: sqlx's write pool, and on SQLite the writer thread beside it.
pub(crate) struct Target {
    /// The write pool (one connection on SQLite).
    pub(crate) pool: AnyPool,
    /// The SQLite writer thread, when the database is an SQLite file.
    pub(crate) sqlite: Option<SqliteWriter>,
}

impl Writer {
    /// Start the task.
    pub(crate) fn start(target: Target) -> Writer {
        let (tx, rx) = mpsc::channel(16 * MAX_BATCH);
        // The task ends when the last handle is dropped, after finishing what was queued.
        tokio::spawn(run(target, rx));
        Writer { tx }
    }

    /// Commit a message.
    pub(crate) async fn commit_message(&self, m: NewMessage) -> Result<Committed> {
        self.call(|reply| Job::Message(m, reply)).await
    }

    /// Apply receipts.
    pub(crate) async fn update_receipts(&self, u: ReceiptUpdate) -> Result<Vec<StoredEvent>> {
        self.call(|reply| Job::Receipts(u, reply)).await
    }

    /// Record webhook delivery attempts.
    pub(crate) async fn record_attempts(&self, attempts: Vec<AttemptRecord>) -> Result<()> {
        self.call(|reply| Job::Attempts(attempts, reply)).await
    }

    /// Lease due webhook deliveries.
    pub(crate) async fn claim_webhooks(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        self.call(|reply| Job::Claim(now, lease_until, limit, reply))
            .await
    }

    /// Queue a job and wait for its outcome.
    async fn call<T>(&self, job: impl FnOnce(oneshot::Sender<Result<T>>) -> Job) -> Result<T> {
        let stopped = || Error::internal("writer stopped");
        let (reply, rx) = oneshot::channel();
        self.tx.send(job(reply)).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

async fn run(target: Target, mut rx: mpsc::Receiver<Job>) {
    // Each batch is handed over whole (`mem::take` below), so it starts empty every time.
    let mut batch = Vec::new();
    let mut last_len = 0;
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if !batch.iter().any(Job::is_message) {
            ride_along(&mut rx, &mut batch).await;
        }
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
        let (jobs, result) = run_batch(&target, std::mem::take(&mut batch)).await;
        tracing::debug!(
            jobs = jobs.len(),
            micros = started.elapsed().as_micros() as u64,
            "group commit"
        );
        match result {
            Ok(outcomes) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    reply(job, outcome);
                }
            }
            Err(e) if jobs.len() == 1 => reply(jobs.into_iter().next().expect("one job"), Err(e)),
            Err(e) => {
                tracing::warn!(error = %e, jobs = jobs.len(), "batch failed; committing its jobs one by one");
                for job in jobs {
                    let (mut one, result) = run_batch(&target, vec![job]).await;
                    if let Some(job) = one.pop() {
                        reply(job, result.and_then(|mut o| o.pop().expect("one outcome")));
                    }
                }
            }
        }
    }
}

/// Wait, up to [`RIDE_ALONG`], for a message job to join a batch that has none.
async fn ride_along(rx: &mut mpsc::Receiver<Job>, batch: &mut Vec<Job>) {
    let deadline = tokio::time::sleep(RIDE_ALONG);
    tokio::pin!(deadline);
    while batch.len() < MAX_BATCH {
        let before = batch.len();
        tokio::select! {
            _ = &mut deadline => return,
            n = rx.recv_many(batch, MAX_BATCH - before) => {
                if n == 0 || batch[before..].iter().any(Job::is_message) {
                    return;
                }
            }
        }
    }
}

impl Job {
    /// Whether this is a message commit, which its sender is waiting for.
    fn is_message(&self) -> bool {
        matches!(self, Job::Message(..))
    }
}

fn work_of(job: &Job) -> Work<'_> {
    match job {
        Job::Message(m, _) => Work::Message(m),
        Job::Receipts(u, _) => Work::Receipts(u),
        Job::Attempts(a, _) => Work::Attempts(a),
        Job::Claim(now, lease_until, limit, _) => Work::Claim(*now, *lease_until, *limit),
    }
}

/// Run jobs in one transaction; the jobs come back with each one's outcome, or `Err` if the
/// transaction failed (jobs whose batch was lost with the SQLite thread do not come back;
/// their callers see the writer stopped).
async fn run_batch(target: &Target, jobs: Vec<Job>) -> (Vec<Job>, Result<Vec<Result<Done>>>) {
    let Some(sqlite) = &target.sqlite else {
        let result = run_on_pool(&target.pool, &jobs).await;
        return (jobs, result);
    };
    // Holding sqlx's only write connection keeps every other write out while the batch runs.
    let held = match target.pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => return (jobs, Err(db_err(e))),
    };
    let out = sqlite.run(jobs, work_of).await;
    drop(held);
    out
}

async fn run_on_pool(pool: &AnyPool, jobs: &[Job]) -> Result<Vec<Result<Done>>> {
    let work: Vec<Work<'_>> = jobs.iter().map(work_of).collect();
    let mut tx = pool.begin().await.map_err(db_err)?;
    let out = Db::Any(&mut tx).apply_batch(&work).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(out)
}

fn reply(job: Job, result: Result<Done>) {
    match job {
        Job::Message(_, tx) => answer(tx, result, |o| match o {
            Done::Message(c) => Some(c),
            _ => None,
        }),
        Job::Receipts(_, tx) => answer(tx, result, |o| match o {
            Done::Receipts(e) => Some(e),
            _ => None,
        }),
        Job::Attempts(_, tx) => answer(tx, result, |o| match o {
            Done::Recorded => Some(()),
            _ => None,
        }),
        Job::Claim(.., tx) => answer(tx, result, |o| match o {
            Done::Claimed(rows) => Some(rows),
            _ => None,
        }),
    }
}

/// Send a caller the outcome of its kind that its job produced.
fn answer<T>(tx: oneshot::Sender<Result<T>>, result: Result<Done>, pick: fn(Done) -> Option<T>) {
    let outcome = result.and_then(|o| pick(o).ok_or_else(|| Error::internal("mismatched outcome")));
    let _ = tx.send(outcome);
}
