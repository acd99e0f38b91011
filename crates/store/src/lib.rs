//! SQL persistence for Wasla on SQLite (the embedded default) and PostgreSQL. Both backends are
//! always compiled; the URL picks one. SQL that is the same for both is written once with `$n`
//! placeholders (which both accept) and runs through sqlx's `Any` driver. Hot writes (messages
//! and receipts) go through one writer task per node that group-commits concurrent requests.

// The storage domains, mirroring `wasla_core`'s: each implements its domain's store traits on
// `SqlStore`. They build on the shared infrastructure below, never the other way round, and
// use each other's helpers only downwards: accounts < business < integration < chats, and
// integration < commerce < tools.
mod accounts;
mod billing;
mod business;
mod calls;
mod chats;
mod commerce;
mod integration;
mod status;
mod tools;

// Shared infrastructure: connections, batch statements, bucketed sequences, group commit;
// and the shared ground's throttle hits.
mod buckets;
mod db;
mod lite;
mod sql;
mod throttles;
mod work;
mod writer;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::{Executor, Row};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wasla_core::{Error, Result};

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in WAL mode.
    Sqlite,
    /// A PostgreSQL server (possibly shared by several nodes).
    Postgres,
}

/// The store: read pool, write pool and the group-commit writer.
pub struct SqlStore {
    read: AnyPool,
    write: AnyPool,
    writer: writer::Writer,
    /// The SQLite WAL checkpointer, stopped with the store.
    checkpointer: Option<tokio::task::AbortHandle>,
    /// Seals secrets kept in the database (app secrets); none stores them as given.
    at_rest: Option<wasla_core::crypto::AtRestKey>,
}

impl Drop for SqlStore {
    fn drop(&mut self) {
        if let Some(task) = &self.checkpointer {
            task.abort();
        }
    }
}

/// How long an SQLite connection waits for a lock before it fails with `SQLITE_BUSY`.
pub(crate) const BUSY_TIMEOUT_MS: u32 = 10_000;
/// The size the WAL file is cut back to when it starts over (128 MiB). It is above the
/// restart threshold (16,384 frames, 64 MiB, plus what is written until the restart), so
/// under sustained load the file keeps its size and commits overwrite it rather than grow it
/// again after every restart: the commits' syncs are cheaper for it.
const WAL_SIZE_LIMIT_BYTES: u64 = 128 << 20;
/// How often the WAL is copied back into the SQLite database file. Each checkpoint ends with
/// a sync of the database file that commits' syncs wait behind, so small and frequent
/// checkpoints stall commits less than large ones (`docs/architecture.md`).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(50);

/// Checkpoint the WAL from a read connection, off the commit path: commits never stop to copy
/// pages (SQLite's automatic checkpoint is off), and a passive checkpoint never blocks the
/// writer or readers.
///
/// Under sustained load a passive checkpoint alone lets the WAL grow without end: some
/// reader always holds a snapshot in it, so it never starts over (a WAL of 760 MB after a
/// minute of saturation made sends three times slower). So once the WAL holds more than
/// `restart_frames` frames (pages), the checkpointer raises `restart` and the writer thread
/// starts the WAL over between two batches (see `lite::restart_wal`), when almost every frame
/// has just been copied here.
async fn checkpoint_wal(read: AnyPool, restart: Option<Arc<AtomicBool>>, restart_frames: i64) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let frames = match read.fetch_one("PRAGMA wal_checkpoint(PASSIVE)").await {
            Ok(row) => row.try_get::<i64, _>(1).unwrap_or(0),
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpoint failed");
                continue;
            }
        };
        if let Some(restart) = &restart {
            if frames > restart_frames {
                restart.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// Options for [`SqlStore::open`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `full` or `normal` (SQLite only).
    pub sqlite_synchronous: String,
    /// Connections for reads.
    pub read_connections: u32,
    /// WAL frames past which the checkpointer starts the WAL over (SQLite only; see
    /// `checkpoint_wal`).
    pub wal_restart_frames: i64,
    /// The key app secrets are sealed with (`wasla_core::crypto`); at open, secrets stored
    /// in plaintext by an older version are sealed with it.
    pub at_rest: Option<wasla_core::crypto::AtRestKey>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            sqlite_synchronous: "full".into(),
            read_connections: 8,
            wal_restart_frames: 16_384,
            at_rest: None,
        }
    }
}

impl SqlStore {
    /// Connect, run migrations and start the writer.
    pub async fn open(url: &str, opts: &StoreOptions) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::bad(format!(
                "unsupported database URL {url:?}: use sqlite:// or postgres://"
            )));
        };
        // The SQLite connection settings, for sqlx's connections and the writer thread's.
        let mut sqlite_setup = String::new();
        let (read, write) = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let sync = match opts.sqlite_synchronous.as_str() {
                    "normal" => "NORMAL",
                    _ => "FULL",
                };
                sqlite_setup = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA cache_size = -32000; \
                     PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY; \
                     PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES};"
                );
                let setup = sqlite_setup.clone();
                let pool = |n: u32| {
                    let setup = setup.clone();
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .min_connections(1)
                        // A local file: no connection goes stale, and a check is a round trip
                        // to the connection's thread.
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(move |conn, _| {
                            let setup = setup.clone();
                            Box::pin(async move {
                                conn.execute(setup.as_str()).await?;
                                Ok(())
                            })
                        })
                };
                // One writer connection: SQLite has one write lock anyway, and waiting in our
                // queue is cheaper than spinning on SQLITE_BUSY.
                let write = pool(1).connect(&url).await.map_err(db_err)?;
                let read = pool(opts.read_connections.max(1))
                    .connect(&url)
                    .await
                    .map_err(db_err)?;
                (read, write)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(opts.read_connections.max(2) + 2)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await
                    .map_err(db_err)?;
                (pool.clone(), pool)
            }
        };
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&write)
            .await
            .map_err(|e| Error::internal(format!("migrations: {e}")))?;
        if let Some(key) = &opts.at_rest {
            business::seal_legacy_secrets(&write, key).await?;
        }
        let sqlite = match (backend, lite::sqlite_path(url)) {
            (Backend::Sqlite, Some(path)) => Some(lite::SqliteWriter::open(path, &sqlite_setup)?),
            _ => None,
        };
        let restart = sqlite.as_ref().map(|w| w.restart_flag());
        let writer = writer::Writer::start(writer::Target {
            pool: write.clone(),
            sqlite,
        });
        let checkpointer = (backend == Backend::Sqlite).then(|| {
            tokio::spawn(checkpoint_wal(
                read.clone(),
                restart,
                opts.wal_restart_frames,
            ))
            .abort_handle()
        });
        Ok(SqlStore {
            read,
            write,
            writer,
            checkpointer,
            at_rest: opts.at_rest.clone(),
        })
    }
}

/// Map a database error to the domain error (unique violations become conflicts).
pub(crate) fn db_err(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return Error::Conflict("already exists".into());
        }
    }
    tracing::error!(error = %e, "database error");
    Error::internal(format!("database: {e}"))
}

/// `$start, $start+1, …` for `n` values.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
