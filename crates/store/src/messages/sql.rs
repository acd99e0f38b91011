//! Building batch statements: integers written into the SQL, strings bound; row locks in
//! id order on PostgreSQL; counters raised for many rows in one statement.

use super::*;

/// Most rows per multi-row statement.
pub(super) const ROWS_PER_STATEMENT: usize = 400;
/// Most rows per statement whose rows bind strings. SQLite resolves `$n` parameters by a
/// linear search (when preparing and again when binding), so a statement's cost grows with
/// the square of its parameters: batch statements write integers into the SQL and bind only
/// strings, and keep those to a few hundred.
pub(crate) const STRING_ROWS_PER_STATEMENT: usize = 100;

/// A batch statement: integers are written into the SQL text (they cannot inject anything),
/// strings are bound as `$n`. Not cached as a prepared statement, since its text is one-off.
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) strings: Vec<String>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            strings: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.text, "{v}");
        self
    }

    pub(crate) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int(v),
            None => self.push("NULL"),
        }
    }

    pub(crate) fn string(&mut self, v: &str) -> &mut Self {
        use std::fmt::Write;
        self.strings.push(v.to_string());
        let _ = write!(self.text, "${}", self.strings.len());
        self
    }

    pub(crate) fn opt_string(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.string(v),
            None => self.push("NULL"),
        }
    }

    /// A comma-separated list: `item` writes each element.
    pub(crate) fn list<T>(
        &mut self,
        items: &[T],
        mut item: impl FnMut(&mut Self, &T),
    ) -> &mut Self {
        for (i, t) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            item(self, t);
        }
        self
    }

    /// The statement for sqlx, strings bound.
    pub(crate) fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text).persistent(false);
        for s in &self.strings {
            q = q.bind(s.as_str());
        }
        q
    }

    pub(crate) async fn execute(&self, db: &mut Db<'_>) -> Result<()> {
        db.execute(self).await
    }

    pub(super) async fn fetch_all(&self, db: &mut Db<'_>) -> Result<Vec<BatchRow>> {
        db.fetch_all(self).await
    }
}

/// On PostgreSQL, lock the rows of `table` with these ids (ascending) in id order, so that
/// concurrent transactions (other nodes' writers, chat updates) always lock in the same order;
/// a multi-row UPDATE alone would lock in scan order. SQLite has a single writer.
pub(super) async fn lock_in_order(conn: &mut Db<'_>, table: &str, ids: &[i64]) -> Result<()> {
    if ids.is_empty() || !conn.is_postgres() {
        return Ok(());
    }
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("SELECT id FROM {table} WHERE id IN ("));
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(") ORDER BY id FOR UPDATE");
        sql.fetch_all(conn).await?;
    }
    Ok(())
}

/// Add to a counter column of several rows, one statement per chunk:
/// `UPDATE t SET c = c + CASE id WHEN … END [, updated_at = CASE id WHEN … END] WHERE id IN (…)
/// RETURNING id, c`. `adds` holds (id, amount, updated_at) in id order; returns id → new value.
pub(super) async fn add_to_counters(
    conn: &mut Db<'_>,
    table: &str,
    column: &str,
    touch: bool,
    adds: &[(i64, i64, i64)],
) -> Result<HashMap<i64, i64>> {
    let ids: Vec<i64> = adds.iter().map(|a| a.0).collect();
    lock_in_order(conn, table, &ids).await?;
    let mut out = HashMap::with_capacity(adds.len());
    for chunk in adds.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("UPDATE {table} SET {column} = {column} + CASE id"));
        for &(id, n, _) in chunk {
            sql.push(" WHEN ").int(id).push(" THEN ").int(n);
        }
        sql.push(" END");
        if touch {
            sql.push(", updated_at = CASE id");
            for &(id, _, at) in chunk {
                sql.push(" WHEN ").int(id).push(" THEN ").int(at);
            }
            sql.push(" END");
        }
        sql.push(" WHERE id IN (")
            .list(chunk, |q, a| {
                q.int(a.0);
            })
            .push(&format!(") RETURNING id, {column}"));
        for r in sql.fetch_all(conn).await? {
            out.insert(r.col::<i64>(0)?, r.col::<i64>(1)?);
        }
    }
    Ok(out)
}
