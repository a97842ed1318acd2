//! SQLite on the calling task's thread: the driver of the writer's connection.
//!
//! sqlx's own SQLite driver runs every connection on a thread of its own: each statement is
//! sent there and its rows are sent back, a pair of thread wake-ups per statement and per row.
//! A versioned write is a dozen statements, so those hand-offs cost several times what SQLite
//! itself spends on them. Write transactions take turns on one connection anyway (see
//! [`crate::writer`]), so nothing is gained by giving it a thread: this driver runs SQLite
//! (through rusqlite) right where the query is awaited, and only serves the writer's pool.
//!
//! It plugs into sqlx's `Any` layer, so every query site stays as it is. It answers rows the
//! way sqlx's SQLite driver answers them through `Any`: a value's kind is its storage class
//! (INTEGER → `BigInt`, REAL → `Double`, TEXT → `Text`, BLOB → `Blob`), and arguments are bound
//! the same way (`?`, `?NNN`, `$NNN`). SQL text with several statements runs as a batch, and
//! takes no arguments.
//!
//! Waiting for another process's write lock must not stall the runtime's thread, so the
//! connection does not wait inside SQLite (its busy timeout is zero): a statement refused with
//! `SQLITE_BUSY` is tried again after an asynchronous pause, for as long as the other
//! connections' busy timeout.
//!
//! sqlx needs a whole `Database` type to register a driver; only its connection is ever used
//! through `Any`, so its row, column, value and statement types have no values.

mod conn;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ColumnIndex, Database, Error};
use sqlx_core::any::driver::AnyDriver;
use sqlx_core::any::{AnyConnectOptions, AnyConnectionBackend};
use sqlx_core::arguments::{Arguments, IntoArguments};
use sqlx_core::connection::{ConnectOptions, Connection};
use sqlx_core::encode::Encode;
use sqlx_core::transaction::{Transaction, TransactionManager};
use sqlx_core::types::Type;
use url::Url;

pub use conn::DirectConnection;

/// The URL scheme of this driver: `sqlite-direct://…` names the same file as `sqlite://…`.
pub(crate) const SCHEME: &str = "sqlite-direct";

/// How long a statement waits for another process's lock (as the pooled connections do).
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The driver, for `sqlx::any::install_drivers`.
pub(crate) const DRIVER: AnyDriver = AnyDriver::without_migrate::<Direct>();

/// The URL of this driver for a `sqlite:` URL.
pub(crate) fn url(sqlite_url: &str) -> String {
    match sqlite_url.strip_prefix("sqlite") {
        Some(rest) => format!("{SCHEME}{rest}"),
        None => sqlite_url.to_owned(),
    }
}

/// The database type sqlx registers the driver by.
#[derive(Debug)]
pub struct Direct;

impl Database for Direct {
    type Connection = DirectConnection;
    type TransactionManager = DirectTransactions;
    type Row = Unused;
    type QueryResult = NoResult;
    type Column = Unused;
    type TypeInfo = Unused;
    type Value = Unused;
    type ValueRef<'r> = Unused;
    type Arguments<'q> = NoArguments;
    type ArgumentBuffer<'q> = ();
    type Statement<'q> = Unused;
    const NAME: &'static str = "SQLite (direct)";
    const URL_SCHEMES: &'static [&'static str] = &[SCHEME];
}

/// Where the connection opens its file.
#[derive(Debug, Clone)]
pub struct DirectOptions {
    path: PathBuf,
}

impl DirectOptions {
    /// The file of a `sqlite-direct:` URL, read as sqlx reads the same `sqlite:` URL.
    fn parse(url: &str) -> Result<Self, Error> {
        let sqlite = match url.strip_prefix(SCHEME) {
            Some(rest) => format!("sqlite{rest}"),
            None => return Err(Error::Configuration("not a sqlite-direct URL".into())),
        };
        let options = SqliteConnectOptions::from_str(&sqlite)?;
        Ok(Self {
            path: options.get_filename().to_owned(),
        })
    }
}

impl FromStr for DirectOptions {
    type Err = Error;
    fn from_str(url: &str) -> Result<Self, Error> {
        Self::parse(url)
    }
}

impl<'a> TryFrom<&'a AnyConnectOptions> for DirectOptions {
    type Error = Error;
    fn try_from(options: &'a AnyConnectOptions) -> Result<Self, Error> {
        Self::parse(options.database_url.as_str())
    }
}

impl ConnectOptions for DirectOptions {
    type Connection = DirectConnection;

    fn from_url(url: &Url) -> Result<Self, Error> {
        Self::parse(url.as_str())
    }

    fn connect(&self) -> BoxFuture<'_, Result<DirectConnection, Error>> {
        let path = self.path.clone();
        Box::pin(async move {
            // Opening may wait for another process's lock: off the runtime's threads.
            tokio::task::spawn_blocking(move || DirectConnection::open(&path))
                .await
                .map_err(|e| Error::Io(std::io::Error::other(e)))?
        })
    }

    fn log_statements(self, _: log::LevelFilter) -> Self {
        self
    }

    fn log_slow_statements(self, _: log::LevelFilter, _: Duration) -> Self {
        self
    }
}

impl Connection for DirectConnection {
    type Database = Direct;
    type Options = DirectOptions;

    fn close(self) -> BoxFuture<'static, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn close_hard(self) -> BoxFuture<'static, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn ping(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn begin(&mut self) -> BoxFuture<'_, Result<Transaction<'_, Direct>, Error>> {
        Transaction::begin(self, None)
    }

    fn shrink_buffers(&mut self) {}

    fn flush(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn should_flush(&self) -> bool {
        false
    }
}

/// Transactions by plain SQL (no savepoints: the writer never nests them).
pub struct DirectTransactions;

impl TransactionManager for DirectTransactions {
    type Database = Direct;

    fn begin<'c>(
        conn: &'c mut DirectConnection,
        statement: Option<Cow<'static, str>>,
    ) -> BoxFuture<'c, Result<(), Error>> {
        AnyConnectionBackend::begin(conn, statement)
    }

    fn commit(conn: &mut DirectConnection) -> BoxFuture<'_, Result<(), Error>> {
        AnyConnectionBackend::commit(conn)
    }

    fn rollback(conn: &mut DirectConnection) -> BoxFuture<'_, Result<(), Error>> {
        AnyConnectionBackend::rollback(conn)
    }

    fn start_rollback(conn: &mut DirectConnection) {
        AnyConnectionBackend::start_rollback(conn);
    }

    fn get_transaction_depth(conn: &DirectConnection) -> usize {
        AnyConnectionBackend::get_transaction_depth(conn)
    }
}

/// The row, column, value, type and statement types that only the `Any` path would make.
#[derive(Debug, Clone, PartialEq)]
pub enum Unused {}

impl fmt::Display for Unused {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl sqlx::TypeInfo for Unused {
    fn is_null(&self) -> bool {
        match *self {}
    }
    fn name(&self) -> &str {
        match *self {}
    }
}

impl sqlx::Column for Unused {
    type Database = Direct;
    fn ordinal(&self) -> usize {
        match *self {}
    }
    fn name(&self) -> &str {
        match *self {}
    }
    fn type_info(&self) -> &Unused {
        match *self {}
    }
}

impl sqlx::Row for Unused {
    type Database = Direct;
    fn columns(&self) -> &[Unused] {
        match *self {}
    }
    fn try_get_raw<I>(&self, _: I) -> Result<Unused, Error>
    where
        I: ColumnIndex<Self>,
    {
        match *self {}
    }
}

impl sqlx::Value for Unused {
    type Database = Direct;
    fn as_ref(&self) -> Unused {
        match *self {}
    }
    fn type_info(&self) -> Cow<'_, Unused> {
        match *self {}
    }
    fn is_null(&self) -> bool {
        match *self {}
    }
}

impl sqlx::ValueRef<'_> for Unused {
    type Database = Direct;
    fn to_owned(&self) -> Unused {
        match *self {}
    }
    fn type_info(&self) -> Cow<'_, Unused> {
        match *self {}
    }
    fn is_null(&self) -> bool {
        match *self {}
    }
}

impl<'q> sqlx::Statement<'q> for Unused {
    type Database = Direct;
    fn to_owned(&self) -> Unused {
        match *self {}
    }
    fn sql(&self) -> &str {
        match *self {}
    }
    fn parameters(&self) -> Option<sqlx::Either<&[Unused], usize>> {
        match *self {}
    }
    fn columns(&self) -> &[Unused] {
        match *self {}
    }
    sqlx_core::impl_statement_query!(NoArguments);
}

/// Arguments come through `Any`; none are ever encoded for this type.
#[derive(Default)]
pub struct NoArguments;

impl<'q> Arguments<'q> for NoArguments {
    type Database = Direct;
    fn reserve(&mut self, _: usize, _: usize) {}
    fn add<T>(&mut self, _: T) -> Result<(), BoxDynError>
    where
        T: 'q + Encode<'q, Direct> + Type<Direct>,
    {
        Err("arguments reach this driver through `Any` only".into())
    }
    fn len(&self) -> usize {
        0
    }
}

impl IntoArguments<'_, Direct> for NoArguments {
    fn into_arguments(self) -> NoArguments {
        self
    }
}

/// Results come through `Any` too.
#[derive(Default)]
pub struct NoResult;

impl Extend<NoResult> for NoResult {
    fn extend<T: IntoIterator<Item = NoResult>>(&mut self, _: T) {}
}
