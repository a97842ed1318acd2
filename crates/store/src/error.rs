//! Storage errors and their mapping onto domain errors.

use switchboard_domain::DomainError;

/// Why the store could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("database migration failed: {0}")]
    Migrate(String),
}

impl StoreError {
    pub(crate) fn connect(e: sqlx::Error) -> Self {
        Self::Connect(e.to_string())
    }
}

/// Maps a query error: unique violations become conflicts, the rest is internal.
pub(crate) fn db(e: sqlx::Error) -> DomainError {
    if let Some(dbe) = e.as_database_error() {
        if dbe.is_unique_violation() {
            return DomainError::Conflict("already exists".into());
        }
    }
    DomainError::internal(e)
}
