//! Keyset pages: a statement built piece by piece with numbered binds, the condition that
//! starts a page after a position, and the order and limit that go with it. Each list's
//! position is the tuple of its order's columns ending in a unique id, so an index on
//! `(tenant, those columns)` serves both the condition and the order.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::Result;

use super::filter::Arg;
use crate::error::db;

/// A statement under construction with its bind values.
#[derive(Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    /// The placeholder of a new bind value.
    pub(crate) fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// `$a, $b, …` for a list of integers.
    pub(crate) fn ints(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        values
            .into_iter()
            .map(|v| self.arg(Arg::Int(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub(crate) async fn fetch(&self, c: &mut AnyConnection) -> Result<Vec<AnyRow>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.as_str()),
                Arg::Bool(b) => q.bind(*b),
            };
        }
        q.fetch_all(c).await.map_err(db)
    }
}

/// `AND (cols) > (values)` (or `<` in reverse): the rows after a keyset position.
pub(crate) fn after(sql: &mut Sql, cols: &str, values: Vec<Arg>, reverse: bool) {
    let marks: Vec<String> = values.into_iter().map(|v| sql.arg(v)).collect();
    let op = if reverse { "<" } else { ">" };
    sql.push(&format!(" AND ({cols}) {op} ({})", marks.join(", ")));
}

/// `ORDER BY` every column of `cols` in one direction, then `LIMIT`.
pub(crate) fn order_limit(sql: &mut Sql, cols: &str, reverse: bool, limit: usize) {
    let dir = if reverse { "DESC" } else { "ASC" };
    let order: Vec<String> = cols.split(", ").map(|c| format!("{c} {dir}")).collect();
    let lim = sql.arg(Arg::Int(limit as i64));
    sql.push(&format!(" ORDER BY {} LIMIT {lim}", order.join(", ")));
}
