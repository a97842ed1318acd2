//! The delivery worker wakes when event work commits (in this process, and from other processes
//! on PostgreSQL), claims stay exclusive across processes, and old event records are pruned
//! after their retention while pending and recent ones stay.

use std::sync::Arc;
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use serde_json::json;
use switchboard::bootstrap;
use switchboard_domain::events::event::CommitWatch;
use switchboard_domain::{Clock, OffsetClock};
use switchboard_events::{Worker, WorkerConfig};
use switchboard_store::SqlStore;

use crate::d360_partner::{d3, partner, TestPartner};
use crate::kit::{on_postgres, Server};
use crate::receiver::Receiver;

/// How long a test waits for a signal before it counts as missing (a guard, not a wait).
const GUARD: Duration = Duration::from_secs(10);

async fn signalled(watch: &mut Box<dyn CommitWatch>) -> bool {
    tokio::time::timeout(GUARD, watch.changed())
        .await
        .unwrap_or(false)
}

async fn hooked_partner(s: &Server, url: &str) -> TestPartner {
    let p = partner(s, "Brand").await;
    let r = d3(s, &p, "PATCH", "")
        .json(json!({"webhook_url": url}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    p
}

async fn new_client(s: &Server, p: &TestPartner, name: &str) {
    let r = d3(s, p, "POST", "/clients")
        .json(json!({"name": name}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

/// A second "process" on the same database: its own pool, core and worker.
async fn second_process(s: &Server) -> (SqlStore, Worker) {
    let (store, core) = s.other_process().await;
    let worker = bootstrap::worker(&core, &s.config).unwrap();
    (store, worker)
}

#[tokio::test]
async fn committing_an_event_signals_the_worker_and_a_rollback_does_not() {
    let s = Server::start().await;
    let store = s.core.store().clone();
    let mut watch = store.subscribe_commits().await.unwrap();

    // Rolled back: no event exists, nothing is announced.
    let (p, _) = s.core.tenancy().create_partner("Quiet").await.unwrap();
    {
        let mut tx = store.begin().await.unwrap();
        let event = switchboard_domain::events::event::Event {
            id: switchboard_domain::ids::Id::generate(),
            kind: "client_created".into(),
            partner_id: Some(p.id),
            company_id: None,
            payload: json!({}),
            created_at: s.core.clock().now(),
        };
        tx.insert_event(&event).await.unwrap();
        drop(tx);
    }
    // Writes that make no event work are not announced either.
    s.user().await;
    assert!(
        watch.changed().now_or_never().is_none(),
        "signalled without a committed event"
    );

    // A client created through the domain writes its event in the same transaction.
    s.core
        .tenancy()
        .create_company("Acme", Some(p.id))
        .await
        .unwrap();
    assert!(signalled(&mut watch).await, "no signal after the commit");
    // Signals are consumed: nothing more is pending (on PostgreSQL the listener's echo of the
    // same commit may still arrive).
    if !on_postgres() {
        assert!(watch.changed().now_or_never().is_none());
    }

    // The worker's dispatch writes a delivery, which is announced too (other processes
    // share the sending), and so is a replay.
    let rx = Receiver::start().await;
    let hooked = hooked_partner(&s, &rx.url).await;
    new_client(&s, &hooked, "Beta").await;
    assert!(signalled(&mut watch).await);
    let report = s
        .worker
        .try_execute_task(s.core.clock().now())
        .await
        .unwrap();
    assert_eq!((report.dispatched, report.delivered), (2, 1));
    assert!(signalled(&mut watch).await, "no signal for the delivery");
    let delivery: i64 = s.raw_texts("SELECT CAST(id AS TEXT) FROM deliveries").await[0]
        .parse()
        .unwrap();
    s.core
        .events()
        .replay_delivery(switchboard_domain::ids::DeliveryId(delivery))
        .await
        .unwrap();
    assert!(signalled(&mut watch).await, "no signal for the replay");
}

#[tokio::test]
async fn on_postgres_a_commit_in_one_process_wakes_another() {
    if !on_postgres() {
        return;
    }
    let s = Server::start().await;
    let (other, _) = second_process(&s).await;
    let mut watch = switchboard_domain::store::EventStore::subscribe_commits(&other)
        .await
        .unwrap();
    let (p, _) = s.core.tenancy().create_partner("Brand").await.unwrap();
    s.core
        .tenancy()
        .create_company("Acme", Some(p.id))
        .await
        .unwrap();
    assert!(
        signalled(&mut watch).await,
        "the other process's listener heard nothing"
    );
    other.close().await;
}

#[tokio::test]
async fn a_running_worker_delivers_on_commit_without_waiting_for_its_poll() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let p = hooked_partner(&s, &rx.url).await;
    let config = WorkerConfig {
        allow_private: true,
        // Far longer than the guard: only a commit signal can start the pass in time.
        poll: Duration::from_secs(3600),
        ..Default::default()
    };
    let worker = Worker::new(
        s.core.clone(),
        vec![Arc::new(switchboard_d360::PartnerWebhooks)],
        config,
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    new_client(&s, &p, "First").await;
    assert!(rx.wait_for(1, GUARD).await, "the first event was not sent");
    new_client(&s, &p, "Second").await;
    assert!(rx.wait_for(2, GUARD).await, "the second event was not sent");
    let _ = stop.send(());
    task.await.unwrap();
    assert_eq!(rx.received().len(), 2);
}

#[tokio::test]
async fn two_processes_draining_at_once_send_each_delivery_once() {
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let p = hooked_partner(&s, &rx.url).await;
    for n in 0..30 {
        new_client(&s, &p, &format!("Client {n}")).await;
    }
    let (other, other_worker) = second_process(&s).await;
    let now = s.core.clock().now();
    let (a, b) = tokio::join!(
        s.worker.try_execute_task(now),
        other_worker.try_execute_task(now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.dispatched + b.dispatched, 30);
    assert_eq!((a.delivered + b.delivered, a.failed + b.failed), (30, 0));
    let got = rx.received();
    let mut ids: Vec<&str> = got.iter().map(|r| r.header("webhook-id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (30, 30));
    other.close().await;
}

async fn count(s: &Server, table: &str) -> usize {
    s.raw_texts(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
        .await[0]
        .parse()
        .unwrap()
}

/// The statuses of every delivery, sorted.
async fn statuses(s: &Server) -> Vec<String> {
    let mut all = s.raw_texts("SELECT status FROM deliveries").await;
    all.sort();
    all
}

async fn idempotent_create(s: &Server, user: &crate::kit::TestUser, key: &str) {
    let r = s
        .dg(user, "POST", "/agents")
        .header("idempotency-key", key)
        .json(json!({"agentName": key}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn old_records_are_pruned_after_retention_and_pending_or_recent_ones_stay() {
    const DAY: i64 = 24 * 3600;
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let drain = || async { s.worker.try_execute_task(clock.now()).await.unwrap() };
    let ok = Receiver::start().await;
    let down = Receiver::start().await;
    down.answer(500, None);
    let delivered_to = hooked_partner(&s, &ok.url).await;
    let failing = hooked_partner(&s, &down.url).await;
    let user = s.user().await;

    // Day 0: one delivery delivered, one failing (exhausted after its 8 attempts by day 7),
    // and an idempotency record.
    new_client(&s, &delivered_to, "Delivered").await;
    new_client(&s, &failing, "Exhausted").await;
    idempotent_create(&s, &user, "day-0").await;
    let report = drain().await;
    assert_eq!((report.delivered, report.failed), (1, 1));
    for _ in 1..8 {
        clock.advance(DAY);
        drain().await;
    }
    // Day 7: a delivery that fails once and stays pending.
    new_client(&s, &failing, "Pending").await;
    drain().await;
    assert_eq!(statuses(&s).await, ["delivered", "exhausted", "pending"]);
    assert_eq!(count(&s, "delivery_attempts").await, 1 + 8 + 1);

    // Nothing is past its retention yet (the key is, at 24 hours).
    let pruned = s.worker.prune(clock.now()).await.unwrap();
    assert_eq!(
        (pruned.deliveries, pruned.attempts, pruned.events),
        (0, 0, 0)
    );
    assert_eq!(pruned.idempotency_keys, 1);
    assert_eq!(count(&s, "idempotency_keys").await, 0);
    idempotent_create(&s, &user, "day-7").await;

    // Day 31: the delivered delivery (finished on day 0) goes with its attempt and event; the
    // exhausted one (finished on day 7) and the pending one stay, and so do their events.
    clock.advance(24 * DAY);
    idempotent_create(&s, &user, "day-31").await;
    let pruned = s.worker.prune(clock.now()).await.unwrap();
    assert_eq!(
        (pruned.deliveries, pruned.attempts, pruned.events),
        (1, 1, 1)
    );
    assert_eq!(
        pruned.idempotency_keys, 1,
        "the day-7 key goes, today's stays"
    );
    assert_eq!(statuses(&s).await, ["exhausted", "pending"]);
    assert_eq!(count(&s, "delivery_attempts").await, 8 + 1);
    assert_eq!(count(&s, "events").await, 2);
    assert_eq!(
        s.raw_texts("SELECT key FROM idempotency_keys").await,
        ["day-31"]
    );
    // Pruning again finds nothing.
    let again = s.worker.prune(clock.now()).await.unwrap();
    assert_eq!(again, Default::default());

    // Day 38: the exhausted delivery finished 31 days ago and goes with its 8 attempts and its
    // event; the pending one (tried again today) stays with its event and its day-7 attempt.
    // A fresh one stays.
    clock.advance(7 * DAY);
    new_client(&s, &delivered_to, "Fresh").await;
    let report = drain().await;
    assert_eq!((report.delivered, report.failed), (1, 1));
    let pruned = s.worker.prune(clock.now()).await.unwrap();
    assert_eq!(
        (pruned.deliveries, pruned.attempts, pruned.events),
        (1, 8, 1)
    );
    assert_eq!(statuses(&s).await, ["delivered", "pending"]);
    assert_eq!(count(&s, "delivery_attempts").await, 2 + 1);
    assert_eq!(count(&s, "events").await, 2);
    // The pending delivery is still sent once its receiver is back.
    down.answer(200, None);
    clock.advance(DAY);
    let report = drain().await;
    assert_eq!(report.delivered, 1);
    assert_eq!(down.received().len(), 8 + 3);
}

/// The partner's id in the domain, from its wire form (`…PA`).
fn partner_id(p: &TestPartner) -> switchboard_domain::ids::PartnerId {
    switchboard_domain::ids::PartnerId(p.id.trim_end_matches("PA").parse().unwrap())
}

#[tokio::test]
async fn one_batch_with_mixed_outcomes_records_each_attempt_and_each_delivery_state() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ok = Receiver::start().await;
    let down = Receiver::start().await;
    down.answer(503, Some("120"));
    let fine = hooked_partner(&s, &ok.url).await;
    let failing = hooked_partner(&s, &down.url).await;
    for n in 0..3 {
        new_client(&s, &fine, &format!("Fine {n}")).await;
        new_client(&s, &failing, &format!("Failing {n}")).await;
    }

    // One pass: six events dispatched, their deliveries sent and recorded together.
    let at = clock.now();
    let report = s.worker.try_execute_task(at).await.unwrap();
    assert_eq!(
        (report.dispatched, report.delivered, report.failed),
        (6, 3, 3)
    );
    let mut rows = s
        .raw_texts(
            "SELECT d.status || ' ' || CAST(d.attempts AS TEXT) || ' ' || \
             COALESCE(d.last_error, '-') || ' ' || \
             CASE WHEN d.finished_at IS NULL THEN 'open' ELSE 'finished' END || ' ' || \
             CAST(a.status_code AS TEXT) || ' ' || COALESCE(a.error, '-') \
             FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id",
        )
        .await;
    rows.sort();
    let delivered = "delivered 1 - finished 200 -";
    let failed = "pending 1 receiver answered 503 Service Unavailable open 503 \
                  receiver answered 503 Service Unavailable";
    assert_eq!(
        rows,
        [delivered, delivered, delivered, failed, failed, failed]
    );
    // The failed ones wait their Retry-After from the pass (the lease is gone).
    let now_ms = at.as_millisecond();
    let waits: Vec<i64> = s
        .raw_texts("SELECT CAST(next_attempt_at AS TEXT) FROM deliveries WHERE status = 'pending'")
        .await
        .iter()
        .map(|t| t.parse::<i64>().unwrap() - now_ms)
        .collect();
    assert_eq!(waits.len(), 3);
    assert_eq!(waits, [120_000; 3]);

    // Nothing more is due now; once due, the failed ones are tried again and delivered.
    let again = s.worker.try_execute_task(clock.now()).await.unwrap();
    assert_eq!(again, Default::default());
    down.answer(200, None);
    clock.advance(200);
    let retry = s.worker.try_execute_task(clock.now()).await.unwrap();
    assert_eq!((retry.dispatched, retry.delivered, retry.failed), (0, 3, 0));
    assert_eq!(statuses(&s).await, ["delivered"; 6]);
    assert_eq!(count(&s, "delivery_attempts").await, 9);
    assert_eq!((ok.received().len(), down.received().len()), (3, 6));
}

#[tokio::test]
async fn a_running_worker_sends_a_burst_of_several_batches_once_each_and_records_every_attempt() {
    const EVENTS: usize = 250;
    let s = Server::start().await;
    let rx = Receiver::start().await;
    let p = hooked_partner(&s, &rx.url).await;
    let config = WorkerConfig {
        allow_private: true,
        poll: Duration::from_secs(3600),
        ..Default::default()
    };
    let worker = Worker::new(
        s.core.clone(),
        vec![Arc::new(switchboard_d360::PartnerWebhooks)],
        config,
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    // Committed while the worker claims, sends and records earlier ones.
    let id = partner_id(&p);
    let commits = (0..EVENTS).map(|n| {
        let core = s.core.clone();
        async move {
            core.tenancy()
                .create_company(&format!("Burst {n}"), Some(id))
                .await
                .unwrap();
        }
    });
    futures::stream::iter(commits)
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;
    assert!(rx.wait_for(EVENTS, GUARD).await, "not every event was sent");
    // Stopping waits for the batches in flight to be recorded.
    let _ = stop.send(());
    task.await.unwrap();
    let got = rx.received();
    let mut ids: Vec<&str> = got.iter().map(|r| r.header("webhook-id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (EVENTS, EVENTS));
    assert_eq!(statuses(&s).await, vec!["delivered".to_string(); EVENTS]);
    assert_eq!(count(&s, "delivery_attempts").await, EVENTS);
    assert_eq!(
        s.raw_texts("SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE dispatched_at IS NULL")
            .await,
        ["0"]
    );
}
