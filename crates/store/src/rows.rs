//! Reading columns: typed getters, flags stored as BOOLEAN or 0/1, JSON in TEXT columns. Each
//! context's `rows.rs` reads its own entities with these.

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;
use switchboard_domain::{DomainError, Result};

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(DomainError::internal)
}

/// A flag: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite.
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    match row.try_get::<bool, _>(col) {
        Ok(b) => Ok(b),
        Err(_) => Ok(get::<i64>(row, col)? != 0),
    }
}

pub(crate) fn json(row: &AnyRow, col: &str) -> Result<Value> {
    let text: String = get(row, col)?;
    serde_json::from_str(&text).map_err(DomainError::internal)
}

pub(crate) fn object(row: &AnyRow, col: &str) -> Result<serde_json::Map<String, Value>> {
    match json(row, col)? {
        Value::Object(m) => Ok(m),
        _ => Err(DomainError::internal(format!(
            "column {col} is not a JSON object"
        ))),
    }
}

/// Encodes a JSON value for a TEXT column.
pub(crate) fn to_text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}
