//! Building batch statements: every value bound, so that a statement's text depends only on
//! its shape and stays prepared; row locks in id order on PostgreSQL.

use super::*;

/// Most rows per multi-row statement (a power of two, see [`fixed_chunks`]).
pub(crate) const ROWS_PER_STATEMENT: usize = 256;

/// A value bound to a batch statement; `None` binds a NULL of the value's type.
pub(crate) enum Param {
    /// An integer (`BIGINT`).
    Int(Option<i64>),
    /// A string (`TEXT`).
    Text(Option<String>),
}

/// A batch statement. Values are bound as `$1`, `$2`, … in order, never written into the
/// text, so statements of the same shape share one text and one prepared statement.
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) params: Vec<Param>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, p: Param) -> &mut Self {
        use std::fmt::Write;
        self.params.push(p);
        let _ = write!(self.text, "${}", self.params.len());
        self
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.bind(Param::Int(Some(v)))
    }

    pub(crate) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        self.bind(Param::Int(v))
    }

    pub(crate) fn string(&mut self, v: &str) -> &mut Self {
        self.bind(Param::Text(Some(v.to_string())))
    }

    pub(crate) fn opt_string(&mut self, v: Option<&str>) -> &mut Self {
        self.bind(Param::Text(v.map(str::to_string)))
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

    /// The statement for sqlx, values bound; kept prepared on the connection.
    pub(crate) fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for p in &self.params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.as_deref()),
            };
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
    for chunk in fixed_chunks(ids, ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(&format!("SELECT id FROM {table} WHERE id IN ("));
        sql.list(chunk, |q, id| {
            q.int(*id);
        })
        .push(") ORDER BY id FOR UPDATE");
        sql.fetch_all(conn).await?;
    }
    Ok(())
}

/// `items` in runs whose lengths are powers of two (largest first, at most `max`, which is a
/// power of two): a multi-row statement's text depends on its row count, so a batch of any
/// size uses a few texts that stay prepared instead of one new text per batch.
pub(crate) fn fixed_chunks<T>(items: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    debug_assert!(max.is_power_of_two());
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = max.min(1 << rest.len().ilog2());
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::fixed_chunks;

    #[test]
    fn fixed_chunks_are_powers_of_two_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        let lens: Vec<usize> = fixed_chunks(&items, 256).map(<[u32]>::len).collect();
        assert_eq!(lens, [256, 256, 256, 128, 64, 32, 8]);
        let joined: Vec<u32> = fixed_chunks(&items, 256).flatten().copied().collect();
        assert_eq!(joined, items);
        assert_eq!(fixed_chunks(&items[..1], 256).count(), 1);
        assert_eq!(fixed_chunks(&items[..0], 256).count(), 0);
    }
}
