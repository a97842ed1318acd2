//! A filtered, paged list query: `WHERE` clauses with their bind values, counted and listed
//! with the same binds.

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

    /// Counts the rows of `from` (tables and joins) that match, then lists one page of them
    /// in `order`, read with `read`.
    pub(crate) async fn page<T>(
        &self,
        c: &mut AnyConnection,
        select: &str,
        from: &str,
        order: &str,
        page: Page,
        read: impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<Paged<T>> {
        let filter = self.clauses.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {filter}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for a in &self.args {
            count = match a {
                Arg::Int(i) => count.bind(*i),
                Arg::Text(s) => count.bind(s.as_str()),
                Arg::Bool(b) => count.bind(*b),
            };
        }
        let total = count.fetch_one(&mut *c).await.map_err(db)?;
        let n = self.args.len();
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
            total: total as u64,
        })
    }
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
