//! SQL helpers every context's queries share: reads by id, multi-statement deletes, filtered
//! pages. Every function takes a connection, so the same query serves plain reads and reads
//! inside a write transaction.

pub(crate) mod filter;
pub(crate) mod keyset;

/// Runs each statement with `$1` bound to `id`, in order (deletes of a row and what hangs off it).
pub(crate) async fn run_with_id(
    c: &mut sqlx::AnyConnection,
    statements: &[&str],
    id: i64,
) -> switchboard_domain::Result<()> {
    for sql in statements {
        sqlx::query(sql)
            .bind(id)
            .execute(&mut *c)
            .await
            .map_err(crate::error::db)?;
    }
    Ok(())
}

/// Locks row `id` of `table` until commit (PostgreSQL `FOR UPDATE`; SQLite's write transaction
/// holds the whole database already); `false` when there is no such row.
pub(crate) async fn lock_row(
    c: &mut sqlx::AnyConnection,
    table: &str,
    id: i64,
    backend: crate::Backend,
) -> switchboard_domain::Result<bool> {
    let sql = format!(
        "SELECT id FROM {table} WHERE id = $1{}",
        backend.lock_clause()
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(c)
        .await
        .map_err(crate::error::db)?;
    Ok(row.is_some())
}

/// Reads one row of `table` by id, held until commit when `lock` names the database of an open
/// write transaction.
pub(crate) async fn by_id<T>(
    c: &mut sqlx::AnyConnection,
    table: &str,
    id: i64,
    lock: Option<crate::Backend>,
    read: fn(&sqlx::any::AnyRow) -> switchboard_domain::Result<T>,
) -> switchboard_domain::Result<Option<T>> {
    let sql = format!(
        "SELECT * FROM {table} WHERE id = $1{}",
        lock.map_or("", crate::Backend::lock_clause)
    );
    let query = sqlx::query(&sql).bind(id);
    let row = query.fetch_optional(c).await.map_err(crate::error::db)?;
    row.as_ref().map(read).transpose()
}

/// [`by_id`] for a table keyed by a hash (of a code, a token): the row, held until commit in
/// the open write transaction on `lock`'s database.
pub(crate) async fn by_hash<T>(
    c: &mut sqlx::AnyConnection,
    table: &str,
    hash: &str,
    lock: crate::Backend,
    read: fn(&sqlx::any::AnyRow) -> switchboard_domain::Result<T>,
) -> switchboard_domain::Result<Option<T>> {
    let sql = format!(
        "SELECT * FROM {table} WHERE hash = $1{}",
        lock.lock_clause()
    );
    let query = sqlx::query(&sql).bind(hash);
    let row = query.fetch_optional(c).await.map_err(crate::error::db)?;
    row.as_ref().map(read).transpose()
}

/// [`by_id`] for a row of `company`: another company's row reads as missing.
pub(crate) async fn in_company<T>(
    c: &mut sqlx::AnyConnection,
    table: &str,
    id: i64,
    company: switchboard_domain::ids::CompanyId,
    lock: Option<crate::Backend>,
    read: fn(&sqlx::any::AnyRow) -> switchboard_domain::Result<T>,
) -> switchboard_domain::Result<Option<T>> {
    let sql = format!(
        "SELECT * FROM {table} WHERE id = $1 AND company_id = $2{}",
        lock.map_or("", crate::Backend::lock_clause)
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .bind(company.0)
        .fetch_optional(c)
        .await
        .map_err(crate::error::db)?;
    row.as_ref().map(read).transpose()
}
