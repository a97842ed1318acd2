//! A filtered, paged list query: `WHERE` clauses with their bind values, listed (and, when no
//! counter holds the list's total, counted up to a bound) with the same binds.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::page::{Page, Paged};
use switchboard_domain::Result;

use crate::error::db;

/// A bind value of a filter.
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    /// A flag (BOOLEAN on PostgreSQL, 0/1 on SQLite).
    Bool(bool),
}

/// Matches counted beyond the page's end at most, when a filter narrows a list whose total
/// no counter holds: the count reads at most `skip + limit + FILTERED_COUNT_BEYOND` rows, so
/// page 1 costs the same however long the list is. A total at that bound is a lower bound.
pub(crate) const FILTERED_COUNT_BEYOND: u64 = 10_000;

/// Where a page's total comes from.
pub(crate) enum Total {
    /// A counter the writes keep (the list is not narrowed by a filter).
    Known(u64),
    /// Count the matches, up to `skip + limit +` [`FILTERED_COUNT_BEYOND`].
    CountBounded,
}

/// `WHERE` clauses joined by `AND`, each `?` numbered as its bind value.
pub(crate) struct Filter {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    /// A filter starting with `clause`, whose `?` binds `arg`.
    pub(crate) fn new(clause: &str, arg: Arg) -> Self {
        let mut f = Self {
            clauses: Vec::new(),
            args: Vec::new(),
        };
        f.add(clause, arg);
        f
    }

    /// Adds `clause`; its `?` binds `arg`.
    pub(crate) fn add(&mut self, clause: &str, arg: Arg) {
        self.args.push(arg);
        self.clauses
            .push(clause.replace('?', &format!("${}", self.args.len())));
    }

    /// Adds a clause without bind values.
    pub(crate) fn add_fixed(&mut self, clause: &str) {
        self.clauses.push(clause.to_owned());
    }

    /// Lists one page of the rows of `from` (tables and joins) that match, in `order` (which
    /// an index should serve), read with `read`; the total as `total` says.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn page<T>(
        &self,
        c: &mut AnyConnection,
        select: &str,
        from: &str,
        order: &str,
        page: Page,
        total: Total,
        read: impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<Paged<T>> {
        let filter = self.clauses.join(" AND ");
        let n = self.args.len();
        let total = match total {
            Total::Known(n) => n,
            Total::CountBounded => {
                let bound = page
                    .skip
                    .saturating_add(u64::from(page.limit))
                    .saturating_add(FILTERED_COUNT_BEYOND)
                    .min(i64::MAX as u64);
                let count_sql = format!(
                    "SELECT COUNT(*) FROM (SELECT 1 AS one FROM {from} WHERE {filter} LIMIT ${}) bounded",
                    n + 1
                );
                let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
                for a in &self.args {
                    count = match a {
                        Arg::Int(i) => count.bind(*i),
                        Arg::Text(s) => count.bind(s.as_str()),
                        Arg::Bool(b) => count.bind(*b),
                    };
                }
                count
                    .bind(bound as i64)
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db)? as u64
            }
        };
        let list_sql = format!(
            "SELECT {select} FROM {from} WHERE {filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let mut list = sqlx::query(&list_sql);
        for a in &self.args {
            list = match a {
                Arg::Int(i) => list.bind(*i),
                Arg::Text(s) => list.bind(s.as_str()),
                Arg::Bool(b) => list.bind(*b),
            };
        }
        let found = list
            .bind(i64::from(page.limit))
            .bind(page.skip as i64)
            .fetch_all(c)
            .await
            .map_err(db)?;
        Ok(Paged {
            items: found.iter().map(read).collect::<Result<_>>()?,
            total,
        })
    }
}

/// The value of a counter row (`sql` selects it by `$1`); no row is 0.
pub(crate) async fn counter(c: &mut AnyConnection, sql: &str, key: i64) -> Result<u64> {
    let n: Option<i64> = sqlx::query_scalar(sql)
        .bind(key)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// `%text%` with the LIKE wildcards in `text` escaped (escape character `\`).
pub(crate) fn like_contains(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_contains("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
        assert_eq!(super::like_contains("plain"), "%plain%");
    }
}
