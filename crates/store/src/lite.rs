//! The SQLite group commit's own connection, owned by one dedicated thread. sqlx runs every
//! SQLite statement on a per-connection worker thread, so each statement of a batch costs two
//! thread switches (on a busy core, most of a statement's cost); here the writer hands the
//! whole batch over once and the thread runs it, BEGIN to COMMIT, as direct calls.
//!
//! The thread's connection and sqlx's write connection never write at the same time: the
//! writer holds sqlx's single write connection while a batch runs here (see `writer`).
//!
//! The thread's connection does not enforce foreign keys. Every reference a batch writes is
//! read in the same transaction from rows that are never deleted (a message's chat and sender
//! through the sender's membership, an outbox row's app, a service window's accounts), so
//! there is nothing for SQLite to check; and the alternative, deferring the checks to COMMIT
//! so that no multi-row statement needs a statement journal, is a per-transaction PRAGMA that
//! expires every prepared statement, so each batch would compile its statements again.
//! PostgreSQL runs the same batches with its constraints enforced, and the store's
//! conformance tests run on both.
//!
//! Between batches the thread also starts the WAL over when the checkpointer asks for it
//! ([`restart_wal`]).

use crate::db::{lite_err, Db, PREPARED_STATEMENTS};
use crate::work::{Done, GroupCommit, Work};
use crate::BUSY_TIMEOUT_MS;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use wasla_core::{Error, Result};

/// Work for the thread: a closure over its connection.
type Call = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

/// Handle to the writer thread; the thread ends when the handle is dropped.
pub(crate) struct SqliteWriter {
    calls: std::sync::mpsc::Sender<Call>,
    /// Raised by the checkpointer when the WAL should start over.
    restart: Arc<AtomicBool>,
}

impl SqliteWriter {
    /// Open the database file at `path` (already migrated) with the connection settings in
    /// `setup` (PRAGMA statements), and start the thread.
    pub(crate) fn open(path: &str, setup: &str) -> Result<SqliteWriter> {
        let conn = rusqlite::Connection::open(path).map_err(lite_err)?;
        conn.execute_batch(setup).map_err(lite_err)?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")
            .map_err(lite_err)?;
        conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        let (calls, rx) = std::sync::mpsc::channel::<Call>();
        let restart = Arc::new(AtomicBool::new(false));
        let wanted = restart.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn = conn;
                for call in rx {
                    // A batch that panics fails alone (its callers see the writer stopped);
                    // the thread rolls back what it left open and takes the next batch.
                    let run = std::panic::AssertUnwindSafe(|| call(&mut conn));
                    if std::panic::catch_unwind(run).is_err() {
                        tracing::error!("a batch panicked on the SQLite writer thread");
                        roll_back(&conn);
                    }
                    // The batch's callers have their answers; the next batch waits.
                    if wanted.swap(false, Ordering::Relaxed) {
                        restart_wal(&conn);
                    }
                }
            })
            .map_err(Error::internal)?;
        Ok(SqliteWriter { calls, restart })
    }

    /// The flag that asks the thread to start the WAL over after its current batch.
    pub(crate) fn restart_flag(&self) -> Arc<AtomicBool> {
        self.restart.clone()
    }

    /// Run a batch of writes in one transaction on the thread. The jobs come back with the
    /// outcome, so their callers can be answered.
    pub(crate) async fn run<J: Send + 'static>(
        &self,
        jobs: Vec<J>,
        work: fn(&J) -> Work<'_>,
    ) -> (Vec<J>, Result<Vec<Result<Done>>>) {
        let (reply, answer) = oneshot::channel();
        let call: Call = Box::new(move |conn| {
            let outcome = run_in_transaction(conn, &jobs, work);
            let _ = reply.send((jobs, outcome));
        });
        if self.calls.send(call).is_err() {
            return (vec![], Err(Error::internal("SQLite writer stopped")));
        }
        answer
            .await
            .unwrap_or_else(|_| (vec![], Err(Error::internal("SQLite writer stopped"))))
    }
}

fn run_in_transaction<J>(
    conn: &mut rusqlite::Connection,
    jobs: &[J],
    work: fn(&J) -> Work<'_>,
) -> Result<Vec<Result<Done>>> {
    let work: Vec<Work<'_>> = jobs.iter().map(work).collect();
    step(conn, "BEGIN IMMEDIATE")?;
    // Nothing in a batch waits on SQLite's side: every statement is a direct call, so the
    // future completes in one poll.
    let out = futures::executor::block_on(Db::Sqlite(conn).apply_batch(&work))
        .and_then(|out| step(conn, "COMMIT").map(|_| out));
    if out.is_err() {
        roll_back(conn);
    }
    out
}

/// Run a statement without results, kept prepared.
fn step(conn: &rusqlite::Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.raw_execute())
        .map(|_| ())
        .map_err(lite_err)
}

/// Longest a WAL restart waits for readers (and for a checkpoint in progress) while it holds
/// the write lock; a reader still in the old WAL after that keeps it until the next request.
const RESTART_WAIT: Duration = Duration::from_millis(10);
/// How long a waiting restart sleeps before it looks again.
const RESTART_POLL: Duration = Duration::from_micros(100);

thread_local! {
    /// When the restart running on this thread stops waiting.
    static RESTART_DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// SQLite's busy handler while a restart waits: look again every [`RESTART_POLL`] until
/// [`RESTART_DEADLINE`]. (SQLite's own timeout sleeps 1, 2, 5, 10 ms… between looks, and the
/// writes queued behind the restart would wait out each sleep.)
fn wait_for_restart(_tries: i32) -> bool {
    match RESTART_DEADLINE.get() {
        Some(deadline) if Instant::now() < deadline => {
            std::thread::sleep(RESTART_POLL);
            true
        }
        _ => false,
    }
}

/// Start the WAL over: a RESTART checkpoint copies the few frames the last passive
/// checkpoint left, waits for the readers still in the WAL to finish, and the next commit
/// writes the WAL from its start, so the file stops growing. It holds the write lock all the
/// while, which is why it runs here between batches and waits at most [`RESTART_WAIT`].
fn restart_wal(conn: &rusqlite::Connection) {
    RESTART_DEADLINE.set(Some(Instant::now() + RESTART_WAIT));
    let started = Instant::now();
    let outcome = conn.busy_handler(Some(wait_for_restart)).and_then(|_| {
        conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| {
            Ok((r.get::<_, i64>(0)? == 0, r.get::<_, i64>(1)?))
        })
    });
    RESTART_DEADLINE.set(None);
    if let Err(e) = conn.busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS.into())) {
        tracing::error!(error = %e, "restoring the writer's busy timeout failed");
    }
    let micros = started.elapsed().as_micros() as u64;
    match outcome {
        Ok((true, frames)) => tracing::debug!(frames, micros, "WAL restarted"),
        Ok((false, frames)) => {
            tracing::debug!(frames, micros, "WAL restart waited for readers in vain")
        }
        Err(e) => tracing::warn!(error = %e, "WAL restart failed"),
    }
}

/// Roll back the transaction left open on `conn`, if there is one.
fn roll_back(conn: &rusqlite::Connection) {
    if !conn.is_autocommit() {
        if let Err(e) = conn.execute_batch("ROLLBACK") {
            tracing::error!(error = %e, "rollback failed");
        }
    }
}

/// The file path in a `sqlite:` URL, or `None` for an in-memory database.
pub(crate) fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn paths_in_sqlite_urls() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/w/wasla.db"),
            Some("/tmp/w/wasla.db")
        );
        assert_eq!(
            sqlite_path("sqlite://data/wasla.db?mode=rwc"),
            Some("data/wasla.db")
        );
        assert_eq!(sqlite_path("sqlite:wasla.db"), Some("wasla.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }
}
