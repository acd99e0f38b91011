//! Building batch statements: every value bound, so that a statement's text depends only on
//! its shape and stays prepared. Running one is the connection's business (`crate::db`:
//! `Sql::execute`, `Sql::fetch_all`), so this module needs nothing else of the crate.

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
    /// The text, with `$n` placeholders.
    pub(crate) text: String,
    /// The values, `$1` first.
    pub(crate) params: Vec<Param>,
}

impl Sql {
    /// A statement starting with `text`.
    pub(crate) fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    /// Append text (never a value).
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

    /// Append an integer value.
    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.bind(Param::Int(Some(v)))
    }

    /// Append an integer value or a NULL.
    pub(crate) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        self.bind(Param::Int(v))
    }

    /// Append a text value.
    pub(crate) fn string(&mut self, v: &str) -> &mut Self {
        self.bind(Param::Text(Some(v.to_string())))
    }

    /// Append a text value or a NULL.
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
