//! Group commit on a real SQLite file.

use std::future::Future;
use std::task::{Context, Waker};

use crate::SqlStore;

/// Whether another connection could take SQLite's write lock just now (it never waits).
async fn write_lock_free(store: &SqlStore) -> bool {
    let mut probe = store.pool.acquire().await.unwrap();
    sqlx::query("PRAGMA busy_timeout = 0")
        .execute(&mut *probe)
        .await
        .unwrap();
    let free = match sqlx::query("BEGIN IMMEDIATE").execute(&mut *probe).await {
        Ok(_) => {
            sqlx::query("ROLLBACK").execute(&mut *probe).await.unwrap();
            true
        }
        Err(_) => false,
    };
    sqlx::query("PRAGMA busy_timeout = 10000")
        .execute(&mut *probe)
        .await
        .unwrap();
    free
}

async fn store_with_table() -> (tempfile::TempDir, SqlStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqlStore::connect(&url).await.unwrap();
    let mut tx = store.begin_turn(false).await.unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (dir, store)
}

/// The committed rows, as another connection sees them.
async fn committed(store: &SqlStore) -> Vec<i64> {
    sqlx::query_scalar("SELECT x FROM t ORDER BY x")
        .fetch_all(&store.pool)
        .await
        .unwrap()
}

async fn insert(tx: &mut crate::tx::TxConn, x: i64) {
    sqlx::query("INSERT INTO t VALUES (?)")
        .bind(x)
        .execute(&mut **tx)
        .await
        .unwrap();
}

async fn insert_and_commit(mut tx: crate::tx::TxConn, x: i64) {
    insert(&mut tx, x).await;
    tx.commit().await.unwrap();
}

fn pending<F: Future + ?Sized>(f: std::pin::Pin<&mut F>) -> bool {
    f.poll(&mut Context::from_waker(Waker::noop())).is_pending()
}

/// A writer that commits while others wait leaves its work to the group's one commit, and is
/// answered only once that commit ran; a writer of the group that fails takes back only its
/// own work.
#[tokio::test]
async fn a_group_commits_once_for_its_writers_and_a_failed_writer_undoes_only_its_own_work() {
    let (_dir, store) = store_with_table().await;
    let mut first = store.begin_turn_as(false, true).await.unwrap();
    insert(&mut first, 1).await;
    let mut failing = Box::pin(store.begin_turn_as(false, true));
    let mut last = Box::pin(store.begin_turn_as(false, true));
    assert!(pending(failing.as_mut()) && pending(last.as_mut()));

    let mut first_commit = Box::pin(first.commit());
    assert!(
        pending(first_commit.as_mut()),
        "the first writer waits for its group's commit"
    );
    assert_eq!(
        committed(&store).await,
        Vec::<i64>::new(),
        "nothing committed yet"
    );

    let mut failing = failing.await.unwrap();
    insert(&mut failing, 2).await;
    drop(failing);

    let mut last = last.await.unwrap();
    insert(&mut last, 3).await;
    assert!(
        pending(first_commit.as_mut()),
        "still waiting while the group's last writer runs"
    );
    last.commit().await.unwrap();
    first_commit.await.unwrap();
    assert_eq!(committed(&store).await, [1, 3]);
    store.close().await;
}

/// A group whose next writer goes away before it runs is committed when the writer goes free.
#[tokio::test]
async fn a_group_is_committed_when_its_next_writer_goes_away() {
    let (_dir, store) = store_with_table().await;
    let mut first = store.begin_turn_as(false, true).await.unwrap();
    insert(&mut first, 1).await;
    let mut gone = Box::pin(store.begin_turn_as(false, true));
    assert!(pending(gone.as_mut()));
    let mut first_commit = Box::pin(first.commit());
    assert!(pending(first_commit.as_mut()));
    drop(gone);
    first_commit.await.unwrap();
    assert_eq!(committed(&store).await, [1]);

    // And the writer writes on.
    let next = store.begin_turn_as(false, true).await.unwrap();
    insert_and_commit(next, 2).await;
    assert_eq!(committed(&store).await, [1, 2]);
    store.close().await;
}

/// No group grows past its bound: the writer that finds it full commits it (and begins the
/// next writer's transaction); the writers after it form the next group.
#[tokio::test]
async fn a_full_group_commits() {
    use futures::FutureExt;
    let (_dir, store) = store_with_table().await;
    let max = super::held::MAX_GROUP;
    let waiting: Vec<_> = (0..=max)
        .map(|_| Box::pin(store.begin_turn_as(false, true)))
        .collect();
    let first = store.begin_turn_as(false, true).await.unwrap();
    let mut waiting: Vec<_> = waiting
        .into_iter()
        .map(|mut w| {
            assert!(pending(w.as_mut()));
            w
        })
        .collect();
    let mut joined = vec![Box::pin(first.commit())];
    assert!(pending(joined[0].as_mut()));
    let mut answered = Vec::new();
    for (x, w) in waiting.drain(..).enumerate() {
        let mut tx = w.await.unwrap();
        insert(&mut tx, x as i64).await;
        let mut commit = Box::pin(tx.commit());
        match (&mut commit).now_or_never() {
            Some(outcome) => {
                outcome.unwrap();
                answered.push(x);
                assert_eq!(
                    committed(&store).await.len(),
                    x + 1,
                    "committed by writer {x}"
                );
            }
            None => joined.push(commit),
        }
    }
    // The first writer and the next 14 make a group of 16, which the 15th (index 14) commits;
    // the 16th joins the next group, which the last commits.
    assert_eq!(answered, [max - 2, max]);
    for commit in joined {
        commit.await.unwrap();
    }
    assert_eq!(committed(&store).await.len(), max + 1);
    store.close().await;
}

/// The transaction a full group's commit begins for the next writer is ended when that writer
/// goes away: SQLite's write lock is let go.
#[tokio::test]
async fn a_transaction_begun_for_a_writer_that_went_away_lets_the_lock_go() {
    let (_dir, store) = store_with_table().await;
    let max = super::held::MAX_GROUP;
    let waiting: Vec<_> = (0..max)
        .map(|_| Box::pin(store.begin_turn_as(false, true)))
        .collect();
    let first = store.begin_turn_as(false, true).await.unwrap();
    let mut waiting: Vec<_> = waiting
        .into_iter()
        .map(|mut w| {
            assert!(pending(w.as_mut()));
            w
        })
        .collect();
    let gone = waiting.pop().unwrap();
    let mut joined = vec![Box::pin(first.commit())];
    assert!(pending(joined[0].as_mut()));
    for (x, w) in waiting.into_iter().enumerate() {
        let mut tx = w.await.unwrap();
        insert(&mut tx, x as i64).await;
        let mut commit = Box::pin(tx.commit());
        if x + 2 < max {
            assert!(pending(commit.as_mut()), "writer {x} joins the group");
            joined.push(commit);
        } else {
            // Fills the group: commits it, and begins the waiting writer's transaction.
            commit.await.unwrap();
        }
    }
    for commit in joined {
        commit.await.unwrap();
    }
    assert_eq!(committed(&store).await.len(), max - 1);
    assert!(
        !write_lock_free(&store).await,
        "begun for the waiting writer"
    );
    drop(gone);
    let mut free = false;
    for _ in 0..10_000 {
        if write_lock_free(&store).await {
            free = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(free, "SQLite's write lock let go");
    store.close().await;
}

/// A writer that is not grouped commits the group before it begins: everything written before
/// its turn is committed, and reads through the pool see it.
#[tokio::test]
async fn a_writer_that_is_not_grouped_begins_after_the_group_committed() {
    let (_dir, store) = store_with_table().await;
    let mut grouped = store.begin_turn_as(false, true).await.unwrap();
    insert(&mut grouped, 1).await;
    let mut plain = Box::pin(store.begin_turn(false));
    assert!(pending(plain.as_mut()));
    let mut grouped_commit = Box::pin(grouped.commit());
    assert!(pending(grouped_commit.as_mut()), "left to the next writer");
    let plain = plain.await.unwrap();
    assert_eq!(
        committed(&store).await,
        [1],
        "committed before the plain writer began"
    );
    grouped_commit.await.unwrap();
    insert_and_commit(plain, 2).await;
    assert_eq!(committed(&store).await, [1, 2]);
    store.close().await;
}

/// A writer that is not grouped commits alone even when others wait.
#[tokio::test]
async fn a_writer_that_is_not_grouped_commits_alone() {
    let (_dir, store) = store_with_table().await;
    let plain = store.begin_turn(false).await.unwrap();
    let mut next = Box::pin(store.begin_turn_as(false, true));
    assert!(pending(next.as_mut()));
    insert_and_commit(plain, 1).await;
    assert_eq!(committed(&store).await, [1]);
    drop(next);
    store.close().await;
}
