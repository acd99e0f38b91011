//! The connection a group commit runs on: sqlx's `Any` connection (PostgreSQL), or the SQLite
//! writer's own connection ([`crate::lite`]), on which every statement is a direct call with
//! no hand-off to another thread. The batch code is written once against [`Db`]; on SQLite its
//! futures never wait, so the writer thread runs a whole batch with one `block_on`.

use crate::sql::{Param, Sql};
use rusqlite::types::Value;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use wasla_core::{Error, Result};

/// A connection inside a write transaction.
pub(crate) enum Db<'c> {
    /// Through sqlx (PostgreSQL, and SQLite writes outside the group commit).
    Any(&'c mut AnyConnection),
    /// The SQLite writer thread's connection.
    Sqlite(&'c mut rusqlite::Connection),
}

impl Db<'_> {
    /// Whether rows must be locked explicitly (PostgreSQL) or the writer is alone (SQLite).
    pub(crate) fn is_postgres(&self) -> bool {
        match self {
            Db::Any(c) => c.backend_name() == "PostgreSQL",
            Db::Sqlite(_) => false,
        }
    }

    /// Run a statement that returns no rows.
    pub(crate) async fn execute(&mut self, sql: &Sql) -> Result<()> {
        match self {
            Db::Any(c) => sql
                .query()
                .execute(&mut **c)
                .await
                .map(|_| ())
                .map_err(crate::db_err),
            Db::Sqlite(c) => {
                let mut stmt = prepare(c, sql)?;
                stmt.raw_execute().map(|_| ()).map_err(lite_err)
            }
        }
    }

    /// Run a statement and collect its rows.
    pub(crate) async fn fetch_all(&mut self, sql: &Sql) -> Result<Vec<BatchRow>> {
        match self {
            Db::Any(c) => Ok(sql
                .query()
                .fetch_all(&mut **c)
                .await
                .map_err(crate::db_err)?
                .into_iter()
                .map(BatchRow::Any)
                .collect()),
            Db::Sqlite(c) => {
                let mut stmt = prepare(c, sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.raw_query();
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(lite_err)? {
                    let values = (0..width)
                        .map(|i| row.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<Value>>>()
                        .map_err(lite_err)?;
                    out.push(BatchRow::Sqlite(values));
                }
                Ok(out)
            }
        }
    }
}

/// Running a batch statement on a connection inside a write transaction.
impl Sql {
    /// Run the statement; it returns no rows.
    pub(crate) async fn execute(&self, db: &mut Db<'_>) -> Result<()> {
        db.execute(self).await
    }

    /// Run the statement and collect its rows.
    pub(crate) async fn fetch_all(&self, db: &mut Db<'_>) -> Result<Vec<BatchRow>> {
        db.fetch_all(self).await
    }
}

/// Most prepared batch statements the writer thread keeps: a few shapes per statement kind
/// (see `sql::fixed_chunks`).
pub(crate) const PREPARED_STATEMENTS: usize = 256;

/// Prepare `sql` (from the connection's cache) with its values bound.
///
/// The text is adjusted for SQLite on the way: placeholders become `?NNN` (the same numbers;
/// SQLite looks a `$name` up by a linear search while preparing, which made large statements
/// quadratic), and writes run `OR ROLLBACK`: a failed statement fails its whole batch anyway
/// (the writer then retries the jobs one by one), and a statement that cannot stop half-way
/// needs no statement journal, which would otherwise copy every page a multi-row write
/// touches. A `$` appears in batch SQL only as a placeholder: values are never in the text.
fn prepare<'c>(c: &'c rusqlite::Connection, sql: &Sql) -> Result<rusqlite::CachedStatement<'c>> {
    let text = sql.text.replace('$', "?");
    let text = if let Some(rest) = text.strip_prefix("INSERT INTO ") {
        format!("INSERT OR ROLLBACK INTO {rest}")
    } else if let Some(rest) = text.strip_prefix("UPDATE ") {
        format!("UPDATE OR ROLLBACK {rest}")
    } else {
        text
    };
    let mut stmt = c.prepare_cached(&text).map_err(lite_err)?;
    for (i, p) in sql.params.iter().enumerate() {
        let bound = match p {
            Param::Int(v) => stmt.raw_bind_parameter(i + 1, v),
            Param::Text(v) => stmt.raw_bind_parameter(i + 1, v.as_deref()),
        };
        bound.map_err(lite_err)?;
    }
    Ok(stmt)
}

/// Map a SQLite error to the domain error (unique violations become conflicts).
pub(crate) fn lite_err(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        {
            return Error::Conflict("already exists".into());
        }
    }
    tracing::error!(error = %e, "database error");
    Error::internal(format!("database: {e}"))
}

/// A row a batch statement returned.
pub(crate) enum BatchRow {
    /// From sqlx.
    Any(AnyRow),
    /// From the SQLite writer's connection.
    Sqlite(Vec<Value>),
}

/// Reading typed columns from a row of either kind.
pub(crate) trait Columns {
    /// The column at `i` as `T`.
    fn col<T: Column>(&self, i: usize) -> Result<T>;
}

impl Columns for BatchRow {
    fn col<T: Column>(&self, i: usize) -> Result<T> {
        match self {
            BatchRow::Any(r) => T::from_any(r, i),
            BatchRow::Sqlite(v) => v
                .get(i)
                .ok_or_else(|| Error::internal(format!("no column {i}")))
                .and_then(T::from_sqlite),
        }
    }
}

impl Columns for AnyRow {
    fn col<T: Column>(&self, i: usize) -> Result<T> {
        T::from_any(self, i)
    }
}

/// A Rust type a column converts to.
pub(crate) trait Column: Sized {
    /// From a sqlx row.
    fn from_any(row: &AnyRow, i: usize) -> Result<Self>;
    /// From a SQLite value.
    fn from_sqlite(v: &Value) -> Result<Self>;
}

fn mismatch(want: &str, v: &Value) -> Error {
    Error::internal(format!(
        "database: expected {want}, found {:?}",
        v.data_type()
    ))
}

fn any_get<'r, T>(row: &'r AnyRow, i: usize) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(i).map_err(crate::db_err)
}

impl Column for i64 {
    fn from_any(row: &AnyRow, i: usize) -> Result<Self> {
        any_get(row, i)
    }
    fn from_sqlite(v: &Value) -> Result<Self> {
        match v {
            Value::Integer(n) => Ok(*n),
            other => Err(mismatch("an integer", other)),
        }
    }
}

impl Column for String {
    fn from_any(row: &AnyRow, i: usize) -> Result<Self> {
        any_get(row, i)
    }
    fn from_sqlite(v: &Value) -> Result<Self> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(mismatch("text", other)),
        }
    }
}

/// NULL, or the column's type.
impl<T> Column for Option<T>
where
    T: Column + for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    fn from_any(row: &AnyRow, i: usize) -> Result<Self> {
        any_get(row, i)
    }
    fn from_sqlite(v: &Value) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            other => T::from_sqlite(other).map(Some),
        }
    }
}
