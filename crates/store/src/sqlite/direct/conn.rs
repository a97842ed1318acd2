//! The connection: statements run by rusqlite when their future is first polled.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt};
use rusqlite::types::ValueRef;
use rusqlite::{ffi, OpenFlags};
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::{Describe, Either, Error};
use sqlx_core::any::{
    Any, AnyArguments, AnyColumn, AnyConnectionBackend, AnyQueryResult, AnyRow, AnyStatement,
    AnyTypeInfo, AnyTypeInfoKind, AnyValue, AnyValueKind,
};
use sqlx_core::ext::ustr::UStr;

use super::BUSY_TIMEOUT;

/// Prepared statements kept per connection: the writer's queries, with room to spare.
const STATEMENT_CACHE: usize = 512;

/// A connection to the SQLite file, run on the thread that polls it.
pub struct DirectConnection {
    db: rusqlite::Connection,
    /// What each cached statement's parameters and rows look like.
    plans: HashMap<Box<str>, Arc<Plan>>,
}

/// What a statement's parameters and rows look like, worked out once per statement (SQLite
/// looks a parameter's name up by walking all of them).
struct Plan {
    /// The argument each parameter takes (0-based).
    args: Vec<usize>,
    /// The column names and columns of its rows.
    names: Arc<sqlx_core::HashMap<UStr, usize>>,
    columns: Vec<AnyColumn>,
}

/// A statement from the cache, or prepared for one use.
enum Prepared<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
}

/// What one statement gave.
struct Ran {
    rows: Vec<AnyRow>,
    done: AnyQueryResult,
}

impl std::fmt::Debug for DirectConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectConnection").finish_non_exhaustive()
    }
}

impl DirectConnection {
    /// Opens the file (blocking: waits up to [`BUSY_TIMEOUT`] for another process's lock while
    /// it sets the journal up).
    pub(super) fn open(path: &Path) -> Result<Self, Error> {
        let db =
            rusqlite::Connection::open_with_flags(path, OpenFlags::default()).map_err(error)?;
        db.busy_timeout(BUSY_TIMEOUT).map_err(error)?;
        db.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(error)?;
        // Checkpoints run beside the writer, not in its commits (see `sqlite::checkpoint`).
        db.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0;",
        )
        .map_err(error)?;
        // From here on a lock held elsewhere is waited for asynchronously (see `run_waiting`).
        db.busy_timeout(Duration::ZERO).map_err(error)?;
        db.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Self {
            db,
            plans: HashMap::new(),
        })
    }

    /// 1 inside a transaction, else 0.
    fn depth(&self) -> usize {
        usize::from(!self.db.is_autocommit())
    }

    /// Runs SQL without arguments or rows.
    async fn execute(&mut self, sql: &str) -> Result<(), Error> {
        self.run_waiting(sql, false, &[], false).await.map(drop)
    }

    /// Rolls back at once (a transaction dropped without its commit).
    fn rollback_now(&mut self) {
        if !self.db.is_autocommit() {
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }

    /// [`Self::run`], tried again while another process holds the lock it needs.
    async fn run_waiting(
        &mut self,
        sql: &str,
        persistent: bool,
        args: &[AnyValueKind<'_>],
        first_row: bool,
    ) -> Result<Ran, Error> {
        let mut since = None;
        let mut pause = Duration::from_millis(1);
        loop {
            match self.run(sql, persistent, args, first_row) {
                Err(e) if busy(&e) => {
                    let since = *since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= BUSY_TIMEOUT {
                        return Err(e);
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                ran => return ran,
            }
        }
    }

    /// Runs one statement (or, without arguments, a batch), its rows read in full unless
    /// `first_row`.
    fn run(
        &mut self,
        sql: &str,
        persistent: bool,
        args: &[AnyValueKind<'_>],
        first_row: bool,
    ) -> Result<Ran, Error> {
        let Self { db, plans } = self;
        let prepared = if persistent {
            db.prepare_cached(sql).map(Prepared::Cached)
        } else {
            db.prepare(sql).map(Prepared::Plain)
        };
        let mut prepared = prepared.map_err(error)?;
        let stmt = match &mut prepared {
            Prepared::Cached(stmt) => &mut **stmt,
            Prepared::Plain(stmt) => stmt,
        };
        if several(stmt, sql, args)? {
            drop(prepared);
            db.execute_batch(sql).map_err(error)?;
            return Ok(Ran {
                rows: Vec::new(),
                done: AnyQueryResult {
                    rows_affected: db.changes(),
                    last_insert_id: Some(db.last_insert_rowid()),
                },
            });
        }
        let plan = match plans.get(sql) {
            // A schema change can give the same text other columns: then it is worked out again.
            Some(plan) if plan.columns.len() == stmt.column_count() => plan.clone(),
            _ => {
                let plan = Arc::new(plan_of(stmt)?);
                if persistent {
                    if plans.len() >= STATEMENT_CACHE {
                        plans.clear();
                    }
                    plans.insert(sql.into(), plan.clone());
                }
                plan
            }
        };
        bind(stmt, &plan.args, args)?;
        let width = plan.columns.len();
        let mut rows = Vec::new();
        if width == 0 {
            stmt.raw_execute().map_err(error)?;
        } else {
            let mut read = stmt.raw_query();
            while let Some(row) = read.next().map_err(error)? {
                let mut values = Vec::with_capacity(width);
                for i in 0..width {
                    values.push(AnyValue {
                        kind: value(row.get_ref(i).map_err(error)?)?,
                    });
                }
                rows.push(AnyRow {
                    column_names: plan.names.clone(),
                    columns: plan.columns.clone(),
                    values,
                });
                if first_row {
                    break;
                }
            }
        }
        let rows_affected = if stmt.readonly() { 0 } else { db.changes() };
        Ok(Ran {
            rows,
            done: AnyQueryResult {
                rows_affected,
                last_insert_id: Some(db.last_insert_rowid()),
            },
        })
    }
}

/// Whether `sql` holds more statements than the first, which `stmt` prepared (SQLite leaves
/// the rest alone). Only text without arguments may (it runs as a batch).
fn several(
    stmt: &rusqlite::Statement<'_>,
    sql: &str,
    args: &[AnyValueKind<'_>],
) -> Result<bool, Error> {
    let body = sql.trim_end().trim_end_matches(';');
    if !body.contains(';') {
        return Ok(false);
    }
    if !args.is_empty() || stmt.parameter_count() > 0 {
        return Err(Error::Protocol(
            "several statements in one query take no arguments".into(),
        ));
    }
    // Without parameters, the expanded text is the first statement's own text.
    let first = stmt.expanded_sql().unwrap_or_default();
    let rest = sql.strip_prefix(first.as_str()).unwrap_or(sql);
    Ok(!rest
        .trim_matches(|c: char| c.is_whitespace() || c == ';')
        .is_empty())
}

/// Binds `args` to the statement's parameters, parameter `i + 1` taking argument `map[i]`.
fn bind(
    stmt: &mut rusqlite::Statement<'_>,
    map: &[usize],
    args: &[AnyValueKind<'_>],
) -> Result<(), Error> {
    for (i, &n) in map.iter().enumerate() {
        let i = i + 1;
        let Some(arg) = args.get(n) else {
            // As SQLite does, a parameter without an argument is NULL.
            continue;
        };
        let bound = match arg {
            AnyValueKind::Null(_) => stmt.raw_bind_parameter(i, rusqlite::types::Null),
            AnyValueKind::Bool(b) => stmt.raw_bind_parameter(i, i64::from(*b)),
            AnyValueKind::SmallInt(v) => stmt.raw_bind_parameter(i, i64::from(*v)),
            AnyValueKind::Integer(v) => stmt.raw_bind_parameter(i, i64::from(*v)),
            AnyValueKind::BigInt(v) => stmt.raw_bind_parameter(i, *v),
            AnyValueKind::Real(v) => stmt.raw_bind_parameter(i, f64::from(*v)),
            AnyValueKind::Double(v) => stmt.raw_bind_parameter(i, *v),
            AnyValueKind::Text(v) => stmt.raw_bind_parameter(i, v.as_ref()),
            AnyValueKind::Blob(v) => stmt.raw_bind_parameter(i, v.as_ref()),
            other => return Err(Error::Protocol(format!("unsupported argument: {other:?}"))),
        };
        bound.map_err(error)?;
    }
    Ok(())
}

/// A statement's plan: its parameters mapped to arguments as sqlx's SQLite driver maps them
/// (`?` takes the next argument, `?NNN` and `$NNN` the NNNth), and its rows' columns.
fn plan_of(stmt: &rusqlite::Statement<'_>) -> Result<Plan, Error> {
    let mut next = 0;
    let mut args = Vec::with_capacity(stmt.parameter_count());
    for i in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(i) {
            None => {
                next += 1;
                next
            }
            Some(name) => name
                .strip_prefix('?')
                .or_else(|| name.strip_prefix('$'))
                .and_then(|digits| digits.parse::<usize>().ok())
                .ok_or_else(|| Error::Protocol(format!("unsupported SQL parameter: {name}")))?,
        };
        // `?0` binds nothing, as with sqlx's driver (it is out of range there).
        args.push(n.checked_sub(1).unwrap_or(usize::MAX));
    }
    let mut names = sqlx_core::HashMap::new();
    let mut columns = Vec::with_capacity(stmt.column_count());
    for (ordinal, name) in stmt.column_names().into_iter().enumerate() {
        let name = UStr::new(name);
        names.insert(name.clone(), ordinal);
        columns.push(AnyColumn {
            ordinal,
            name,
            type_info: AnyTypeInfo {
                kind: AnyTypeInfoKind::Null,
            },
        });
    }
    Ok(Plan {
        args,
        names: Arc::new(names),
        columns,
    })
}

/// A value as sqlx's SQLite driver gives it through `Any`: by its storage class.
fn value(v: ValueRef<'_>) -> Result<AnyValueKind<'static>, Error> {
    Ok(match v {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(r) => AnyValueKind::Double(r),
        ValueRef::Text(t) => AnyValueKind::Text(Cow::Owned(
            std::str::from_utf8(t)
                .map_err(|e| Error::Decode(e.into()))?
                .to_owned(),
        )),
        ValueRef::Blob(b) => AnyValueKind::Blob(Cow::Owned(b.to_vec())),
    })
}

/// Whether another connection's lock refused the statement (and waiting may help).
fn busy(e: &Error) -> bool {
    match e {
        Error::Database(db) => db.try_downcast_ref::<DirectError>().is_some_and(|e| {
            e.code & 0xff == ffi::SQLITE_BUSY && e.code != ffi::SQLITE_BUSY_SNAPSHOT
        }),
        _ => false,
    }
}

fn error(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            Error::Database(Box::new(DirectError {
                code: failure.extended_code,
                message: message.unwrap_or_else(|| failure.to_string()),
            }))
        }
        other => Error::Protocol(other.to_string()),
    }
}

/// An error SQLite reported.
#[derive(Debug)]
pub(super) struct DirectError {
    /// The extended result code.
    code: i32,
    message: String,
}

impl std::fmt::Display for DirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DirectError {}

impl DatabaseError for DirectError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

impl AnyConnectionBackend for DirectConnection {
    fn name(&self) -> &str {
        <super::Direct as sqlx::Database>::NAME
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn close_hard(self: Box<Self>) -> BoxFuture<'static, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn ping(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn begin(&mut self, statement: Option<Cow<'static, str>>) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let sql = statement.unwrap_or(Cow::Borrowed("BEGIN"));
            self.execute(&sql).await
        })
    }

    fn commit(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(self.execute("COMMIT"))
    }

    fn rollback(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(self.execute("ROLLBACK"))
    }

    fn start_rollback(&mut self) {
        self.rollback_now();
    }

    fn get_transaction_depth(&self) -> usize {
        self.depth()
    }

    fn shrink_buffers(&mut self) {}

    fn flush(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async { Ok(()) })
    }

    fn should_flush(&self) -> bool {
        false
    }

    fn fetch_many<'q>(
        &'q mut self,
        query: &'q str,
        persistent: bool,
        arguments: Option<AnyArguments<'q>>,
    ) -> BoxStream<'q, Result<Either<AnyQueryResult, AnyRow>, Error>> {
        let ran = async move {
            let args = arguments.map(|a| a.values.0).unwrap_or_default();
            let items: Vec<_> = match self.run_waiting(query, persistent, &args, false).await {
                Ok(ran) => ran
                    .rows
                    .into_iter()
                    .map(|row| Ok(Either::Right(row)))
                    .chain([Ok(Either::Left(ran.done))])
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(items)
        };
        Box::pin(stream::once(ran).flatten())
    }

    fn fetch_optional<'q>(
        &'q mut self,
        query: &'q str,
        persistent: bool,
        arguments: Option<AnyArguments<'q>>,
    ) -> BoxFuture<'q, Result<Option<AnyRow>, Error>> {
        Box::pin(async move {
            let args = arguments.map(|a| a.values.0).unwrap_or_default();
            let ran = self.run_waiting(query, persistent, &args, true).await?;
            Ok(ran.rows.into_iter().next())
        })
    }

    fn prepare_with<'c, 'q: 'c>(
        &'c mut self,
        _sql: &'q str,
        _parameters: &[AnyTypeInfo],
    ) -> BoxFuture<'c, Result<AnyStatement<'q>, Error>> {
        Box::pin(async { Err(unsupported("prepared statements")) })
    }

    fn describe<'q>(&'q mut self, _sql: &'q str) -> BoxFuture<'q, Result<Describe<Any>, Error>> {
        Box::pin(async { Err(unsupported("describe")) })
    }
}

fn unsupported(what: &str) -> Error {
    Error::Protocol(format!("the writer's connection does not offer {what}"))
}
