//! Delivery throughput: how many deliveries per second one server process's worker sends when
//! there is a backlog. Events (Dialpad change-log events of one company, with one change-log
//! subscription to a webhook on loopback) are committed first, in batches, with the worker
//! stopped; then the worker runs (woken as in the server) until the receiver has them all.
//! Each event goes the whole way: dispatch through the subscription match and rendering, the
//! signed POST, the recorded attempt.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use serde_json::json;
use switchboard::bootstrap::{self, KeySource};
use switchboard::config::{Config, Overrides};
use switchboard_domain::events::endpoint::EndpointKind;
use switchboard_domain::events::event::Event;
use switchboard_domain::events::subscription::Filter;
use switchboard_domain::ids::{CompanyId, EventId, Id};
use switchboard_domain::Core;

/// Events committed per transaction while the backlog is made.
const PER_COMMIT: usize = 1_000;

/// What came out.
pub struct Throughput {
    pub database: &'static str,
    pub events: usize,
    pub received: usize,
    pub elapsed: Duration,
}

impl Throughput {
    pub fn per_second(&self) -> f64 {
        self.received as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

async fn hook(State(count): State<Arc<tokio::sync::watch::Sender<usize>>>) -> StatusCode {
    count.send_modify(|n| *n += 1);
    StatusCode::NO_CONTENT
}

/// A company with one change-log subscription to a webhook at `url` (no secret: JSON bodies).
pub(crate) async fn hooked_company(core: &Core, url: &str) -> anyhow::Result<CompanyId> {
    let company = core.tenancy().create_company("Bench", None).await?;
    let endpoint = core
        .events()
        .create_endpoint(company.id, EndpointKind::Webhook, Some(url), None)
        .await?;
    core.events()
        .create_subscription(company.id, endpoint.id, true, None, Filter::ChangeLog, None)
        .await?;
    Ok(company.id)
}

/// The `n`th change-log event of `company` (its webhook body carries `additional_data.n`).
pub(crate) fn change_log(company: CompanyId, n: usize, now: Timestamp) -> Event {
    Event {
        id: EventId::generate(),
        kind: switchboard_domain::telephony::changelog::CHANGE_LOG.to_owned(),
        partner_id: None,
        company_id: Some(company),
        payload: json!({"action": "bench", "target": {"type": "Office", "id": 1},
            "changed_by": {"type": "Company", "id": company.get()},
            "note": "bench", "date": now.as_millisecond(), "additional_data": {"n": n}}),
        created_at: now,
    }
}

/// Runs the measurement with `events` events on `database` (a temporary SQLite file when
/// `None`).
pub async fn run(events: usize, database: Option<String>) -> anyhow::Result<Throughput> {
    if events == 0 || events > 1_000_000 {
        bail!("the throughput benchmark sends between 1 and 1000000 events, not {events}");
    }
    let dir = tempfile::tempdir()?;
    let overrides = Overrides {
        data_dir: Some(dir.path().join("data")),
        database,
        ..Default::default()
    };
    let (mut config, _) = Config::resolve(&overrides, &BTreeMap::new())?;
    config.webhook_allow_private = true;
    let store = bootstrap::open_store(&config).await?;
    let keyring = KeySource::from_config(&config)?.keyring()?;
    let core = bootstrap::core(&store, keyring).with_private_hooks_allowed(true);
    let worker = bootstrap::worker(&core, &config)?;

    let count = Arc::new(tokio::sync::watch::channel(0usize).0);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(count.clone());
    let receiver = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let company = hooked_company(&core, &url).await?;
    let now = core.clock().now();
    let mut made = 0;
    while made < events {
        let mut tx = core.store().begin().await?;
        for n in made..(made + PER_COMMIT).min(events) {
            tx.insert_event(&change_log(company, n, now)).await?;
        }
        tx.commit().await?;
        made = (made + PER_COMMIT).min(events);
    }

    let started = Instant::now();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker_task = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let mut seen = count.subscribe();
    let all = tokio::time::timeout(Duration::from_secs(300), seen.wait_for(|c| *c >= events)).await;
    let elapsed = started.elapsed();
    let _ = stop.send(());
    let _ = worker_task.await;
    receiver.abort();
    store.close().await;
    if all.is_err() {
        eprintln!("throughput benchmark: not every event arrived within 300 s");
    }
    let received = *count.borrow();
    Ok(Throughput {
        database: store.backend().name(),
        events,
        received,
        elapsed,
    })
}
