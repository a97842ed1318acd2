//! Commit-to-receive latency of event delivery: the server's own delivery path (the worker
//! woken by the commit, the event matched to a Dialpad change-log subscription and rendered,
//! the signed webhook POST, the recorded attempt) run in this process against a webhook
//! receiver on loopback.
//!
//! Events are committed at a fixed rate for a bounded time, one per write transaction, each
//! in its own task; for each, the time from the commit returning to the receiver reading the
//! request is one sample. So the samples measure the worker (claim, send) and not what made
//! the event; the producer's own pace is reported beside them ([`Latencies::committed_in`]),
//! so that a run whose commits could not keep the rate is seen as measuring a lower one. (A
//! use case's own writes beside its event, such as a new client's rows, take SQLite's one
//! writer for longer; at this rate on two cores they would leave the producer below the rate,
//! and so measure less load, not more latency.)

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use switchboard::bootstrap::{self, KeySource};
use switchboard::config::{Config, Overrides};

/// What the measurement is asked to do.
pub struct Plan {
    /// Events committed per second.
    pub rate: u64,
    /// Seconds of committing.
    pub seconds: u64,
    /// `postgres://…` to run on PostgreSQL; a temporary SQLite file otherwise.
    pub database: Option<String>,
}

/// What came out.
pub struct Latencies {
    pub database: &'static str,
    pub sent: usize,
    pub received: usize,
    /// Commit-to-receive times, sorted.
    pub samples: Vec<Duration>,
    /// From the first commit to the last receipt.
    pub elapsed: Duration,
    /// From the first commit's start to the last commit's return: about `sent / rate` when the
    /// producer kept the rate.
    pub committed_in: Duration,
}

impl Latencies {
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        if self.samples.is_empty() {
            return None;
        }
        let rank = ((self.samples.len() as f64) * p).ceil() as usize;
        Some(self.samples[rank.clamp(1, self.samples.len()) - 1])
    }
}

/// When each client (by its number) was committed and received.
#[derive(Default)]
struct Times {
    committed: BTreeMap<usize, Instant>,
    received: BTreeMap<usize, Instant>,
}

struct Receiver {
    times: Mutex<Times>,
    count: tokio::sync::watch::Sender<usize>,
}

/// The event's number from the webhook body (`additional_data.n`).
fn number(body: &[u8]) -> Option<usize> {
    let body: Value = serde_json::from_slice(body).ok()?;
    usize::try_from(body["additional_data"]["n"].as_u64()?).ok()
}

async fn hook(State(rx): State<Arc<Receiver>>, body: Bytes) -> StatusCode {
    let at = Instant::now();
    if let Some(n) = number(&body) {
        let mut times = rx.times.lock().unwrap_or_else(|e| e.into_inner());
        times.received.entry(n).or_insert(at);
        let got = times.received.len();
        drop(times);
        rx.count.send_replace(got);
    }
    StatusCode::NO_CONTENT
}

/// Runs the measurement.
pub async fn run(plan: &Plan) -> anyhow::Result<Latencies> {
    let total = usize::try_from(plan.rate * plan.seconds)?;
    if total == 0 || total > 100_000 {
        bail!("the delivery benchmark sends between 1 and 100000 events, not {total}");
    }
    let dir = tempfile::tempdir()?;
    let overrides = Overrides {
        data_dir: Some(dir.path().join("data")),
        database: plan.database.clone(),
        ..Default::default()
    };
    let (mut config, _) = Config::resolve(&overrides, &BTreeMap::new())?;
    // The receiver is on loopback.
    config.webhook_allow_private = true;
    let store = bootstrap::open_store(&config).await?;
    let keyring = KeySource::from_config(&config)?.keyring()?;
    let core = bootstrap::core(&store, keyring).with_private_hooks_allowed(true);
    let worker = bootstrap::worker(&core, &config)?;

    let rx = Arc::new(Receiver {
        times: Mutex::default(),
        count: tokio::sync::watch::channel(0).0,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(rx.clone());
    let receiver = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let company = crate::drain::hooked_company(&core, &url).await?;
    // Made before the clock starts, so that the first attempt does not pay for it.
    core.events()
        .signing_secret(&switchboard_domain::events::endpoint::company_signing_owner(company))
        .await?;

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker_task = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));

    // Commits on a fixed schedule, each in its own task so that a slow one does not hold back
    // the next.
    let started = Instant::now();
    let every = Duration::from_secs_f64(1.0 / plan.rate as f64);
    let mut commits = Vec::with_capacity(total);
    for n in 0..total {
        let due = started + every.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let (core, rx) = (core.clone(), rx.clone());
        commits.push(tokio::spawn(async move {
            let result = async {
                let mut tx = core.store().begin().await?;
                tx.insert_event(&crate::drain::change_log(company, n, core.clock().now()))
                    .await?;
                tx.commit().await
            }
            .await;
            let at = Instant::now();
            rx.times
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .committed
                .insert(n, at);
            result.map(|_| ())
        }));
    }
    for task in commits {
        task.await?.context("committing an event")?;
    }
    let committed_in = rx
        .times
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .committed
        .values()
        .max()
        .map_or(Duration::ZERO, |last| {
            last.saturating_duration_since(started)
        });
    let mut count = rx.count.subscribe();
    let all = tokio::time::timeout(Duration::from_secs(30), count.wait_for(|c| *c >= total)).await;
    let elapsed = started.elapsed();
    let _ = stop.send(());
    let _ = worker_task.await;
    receiver.abort();
    store.close().await;
    if all.is_err() {
        eprintln!("delivery benchmark: not every event arrived within 30 s of the last commit");
    }

    let times = rx.times.lock().unwrap_or_else(|e| e.into_inner());
    let mut samples: Vec<Duration> = times
        .received
        .iter()
        .filter_map(|(n, got)| Some(got.saturating_duration_since(*times.committed.get(n)?)))
        .collect();
    samples.sort_unstable();
    Ok(Latencies {
        database: store.backend().name(),
        sent: total,
        received: times.received.len(),
        samples,
        elapsed,
        committed_in,
    })
}
