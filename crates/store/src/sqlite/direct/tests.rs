//! The driver answers as sqlx's SQLite driver does through `Any`.

use std::future::Future;
use std::task::{Context, Waker};

use sqlx::{AnyConnection, Connection, Row};

/// A direct connection and a connection of sqlx's own SQLite driver, to the same new file.
async fn both() -> (tempfile::TempDir, AnyConnection, AnyConnection) {
    crate::install_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let sqlx_own = AnyConnection::connect(&url).await.unwrap();
    let direct = AnyConnection::connect(&super::url(&url)).await.unwrap();
    assert_eq!(direct.backend_name(), "SQLite (direct)");
    (dir, direct, sqlx_own)
}

type Decoded = (
    i64,
    f64,
    String,
    Vec<u8>,
    Option<i64>,
    String,
    i64,
    i64,
    i64,
);

async fn decoded(conn: &mut AnyConnection) -> Decoded {
    let row = sqlx::query(
        "SELECT 1 AS i, 1.5 AS r, 'x' AS t, x'00ff' AS b, NULL AS n, \
                $2 AS second, $1 AS first, ?3 AS third, $1 + 1 AS again",
    )
    .bind(7_i64)
    .bind("s")
    .bind(true)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    (
        row.get("i"),
        row.get("r"),
        row.get("t"),
        row.get("b"),
        row.get("n"),
        row.get("second"),
        row.get("first"),
        row.get("third"),
        row.get("again"),
    )
}

#[tokio::test]
async fn values_and_numbered_parameters_read_as_with_sqlx_own_driver() {
    let (_dir, mut direct, mut own) = both().await;
    let expected: Decoded = (1, 1.5, "x".into(), vec![0, 255], None, "s".into(), 7, 1, 8);
    assert_eq!(decoded(&mut own).await, expected);
    assert_eq!(decoded(&mut direct).await, expected);
    // A value's kind is its storage class, as with sqlx's driver: a boolean reads as an integer.
    let as_bool = sqlx::query_scalar::<_, bool>("SELECT 1")
        .fetch_one(&mut direct)
        .await;
    let own_bool = sqlx::query_scalar::<_, bool>("SELECT 1")
        .fetch_one(&mut own)
        .await;
    assert_eq!(as_bool.is_ok(), own_bool.is_ok());
}

#[tokio::test]
async fn anonymous_parameters_take_the_arguments_in_turn_and_rows_come_in_order() {
    let (_dir, mut direct, _) = both().await;
    sqlx::query("CREATE TABLE t (a INTEGER, b TEXT)")
        .execute(&mut direct)
        .await
        .unwrap();
    let done = sqlx::query("INSERT INTO t VALUES (?, ?), (?, ?)")
        .bind(1_i64)
        .bind("one")
        .bind(2_i64)
        .bind("two")
        .execute(&mut direct)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 2);
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT a, b FROM t ORDER BY a")
        .fetch_all(&mut direct)
        .await
        .unwrap();
    assert_eq!(rows, [(1, "one".into()), (2, "two".into())]);
    let first: Option<(i64,)> = sqlx::query_as("SELECT a FROM t ORDER BY a DESC")
        .fetch_optional(&mut direct)
        .await
        .unwrap();
    assert_eq!(first, Some((2,)));
}

#[tokio::test]
async fn several_statements_run_as_a_batch_only_without_arguments() {
    let (_dir, mut direct, _) = both().await;
    sqlx::query("CREATE TABLE t (a INTEGER UNIQUE); INSERT INTO t VALUES (1);")
        .execute(&mut direct)
        .await
        .unwrap();
    let refused = sqlx::query("INSERT INTO t VALUES (?); INSERT INTO t VALUES (3)")
        .bind(2_i64)
        .execute(&mut direct)
        .await;
    assert!(
        matches!(refused, Err(sqlx::Error::Protocol(_))),
        "{refused:?}"
    );
    let all: Vec<i64> = sqlx::query_scalar("SELECT a FROM t")
        .fetch_all(&mut direct)
        .await
        .unwrap();
    assert_eq!(all, [1], "the refused text ran no statement");
    // A semicolon inside a literal is not a second statement.
    let text: String = sqlx::query_scalar("SELECT 'a;b'")
        .fetch_one(&mut direct)
        .await
        .unwrap();
    assert_eq!(text, "a;b");
    let duplicate = sqlx::query("INSERT INTO t VALUES (1)")
        .execute(&mut direct)
        .await
        .unwrap_err();
    assert!(duplicate.as_database_error().unwrap().is_unique_violation());
}

/// Another connection's write lock is waited for without blocking the thread: the statement's
/// future stays pending, and goes through once the lock is let go.
#[tokio::test]
async fn a_lock_held_elsewhere_is_waited_for_asynchronously() {
    let (_dir, mut direct, mut own) = both().await;
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut own)
        .await
        .unwrap();
    {
        let mut begin = Box::pin(sqlx::query("BEGIN IMMEDIATE").execute(&mut direct));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(begin.as_mut().poll(&mut cx).is_pending());
        sqlx::query("ROLLBACK").execute(&mut own).await.unwrap();
        begin.await.unwrap();
    }
    assert!(direct.is_in_transaction());
    sqlx::query("ROLLBACK").execute(&mut direct).await.unwrap();
    assert!(!direct.is_in_transaction());
}
