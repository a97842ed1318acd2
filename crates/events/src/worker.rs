//! The delivery worker: dispatch, send, record, retry, prune.
//!
//! [`Worker::run`] works as soon as something is committed that gives it work: it subscribes
//! to the store's commit signals (see `Store::subscribe_commits`; on PostgreSQL they come from
//! every server process on the database, so several processes share the work) and wakes on
//! each. Between signals it sleeps until the earliest pending delivery is due, and at most
//! [`WorkerConfig::poll`], so that work whose signal was missed (a listener reconnecting, a
//! command-line replay on SQLite) waits one poll at most.
//!
//! Work moves in batches through a pipeline:
//! 1. **claim**: one write transaction dispatches up to a batch of undispatched events (asks
//!    each [`Destinations`] for the targets and writes one delivery per target, already
//!    claimed) and claims up to a batch of deliveries that are due (retries, replays, work a
//!    crashed process left). A claim moves a delivery's due time to the end of a lease (with
//!    `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has a single writer), so no other worker
//!    sees it as due until the lease ends, and the attempt's outcome replaces the lease.
//! 2. **send**: the batch's attempts run side by side over kept-alive connections;
//! 3. **record**: one transaction records the batch: one multi-row statement for its attempts
//!    and one for its deliveries' new state (delivered, exhausted, or the next attempt's time,
//!    on the unchanged retry schedule of [`RetryPolicy`]).
//!
//! `run` claims the next batch while earlier ones are still being sent (up to a few batches in
//! flight), so events committed during a send wait for a claim, not for the send. Delivery is
//! at least once: should a process die between sending and recording, the lease runs out and
//! the batch is sent again with the same `webhook-id`. Every attempt is recorded.
//!
//! The same loop prunes old records (see [`Retention`]) every [`WorkerConfig::prune_every`],
//! in bounded batches interleaved with delivery; tests call [`Worker::prune`] directly.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{FutureExt, StreamExt};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use switchboard_domain::events::event::{
    Delivery, DeliveryAttempt, DeliveryStatus, Pruned, Retention,
};
use switchboard_domain::ids::{AttemptId, Id};
use switchboard_domain::{Core, DomainError, Result};
use tokio::task::JoinSet;

use crate::dispatch::{dispatch_claimed, Destinations};
use crate::net::check_literal;
use crate::signature::sign;

mod failure;
mod prune;
mod schedule;

use failure::{describe, retry_after, Failure};

/// How long a failed delivery waits before its next attempt.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts before a delivery is kept as exhausted.
    pub max_attempts: i64,
    /// Wait after the first failure; doubled after each further one.
    pub base: Duration,
    /// Longest wait between attempts (also caps `Retry-After`).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            base: Duration::from_secs(10),
            max_delay: Duration::from_secs(6 * 3600),
        }
    }
}

impl RetryPolicy {
    /// The wait after `attempts` failed attempts: exponential, ±20 % jitter so that receivers
    /// coming back are not hit by every sender at once, never shorter than `retry_after`.
    pub fn delay(&self, attempts: i64, retry_after: Option<Duration>) -> Duration {
        let exp = attempts.clamp(1, 30) as u32 - 1;
        let raw = self
            .base
            .saturating_mul(1u32 << exp.min(20))
            .min(self.max_delay);
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        let jittered = raw.mul_f64(jitter).min(self.max_delay);
        match retry_after {
            Some(r) => jittered.max(r.min(self.max_delay)),
            None => jittered,
        }
    }
}

/// Settings of a worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Allow targets on private and loopback addresses (tests, closed networks).
    pub allow_private: bool,
    pub retry: RetryPolicy,
    /// Time limit of one attempt.
    pub timeout: Duration,
    /// Longest sleep between passes when no commit signal comes.
    pub poll: Duration,
    /// How long finished records are kept.
    pub retention: Retention,
    /// How often old records are pruned.
    pub prune_every: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(15),
            poll: Duration::from_secs(5),
            retention: Retention::default(),
            prune_every: Duration::from_secs(3600),
        }
    }
}

/// What one pass of the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub dispatched: usize,
    pub delivered: usize,
    pub failed: usize,
}

/// Dispatches outbox events and delivers them. Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    core: Core,
    destinations: Vec<Arc<dyn Destinations>>,
    http: reqwest::Client,
    config: WorkerConfig,
}

/// How long a claimed delivery is held from other workers while it is being sent.
const LEASE: SignedDuration = SignedDuration::from_secs(300);
/// Events dispatched, and due deliveries claimed, by one claim (each).
const BATCH: u32 = 200;
/// Batches `run` has out being sent (and recorded) at once.
const IN_FLIGHT: usize = 4;
/// Rows deleted per pruning statement (each in its own short transaction).
pub(super) const PRUNE_BATCH: u32 = 500;
/// Pruning batches per kind of record in one turn of the run loop, before delivery gets a turn.
const PRUNE_TURN: usize = 20;
/// The shortest sleep of the run loop, so that a delivery due but held by another worker for a
/// moment does not make it spin.
const MIN_WAIT: Duration = Duration::from_millis(5);
/// The shortest time between claims that found less than a batch: while events trickle in,
/// each claim takes what gathered meanwhile instead of one at a time, so that claims and
/// records do not take the database's writer from the requests making the events.
const CLAIM_GAP: Duration = Duration::from_millis(5);
/// Attempts of one batch in flight at once.
const PARALLEL: usize = 32;

impl Worker {
    /// A worker over `core` for the given destination kinds.
    pub fn new(
        core: Core,
        destinations: Vec<Arc<dyn Destinations>>,
        config: WorkerConfig,
    ) -> Result<Self> {
        let http = crate::net::client_builder(config.allow_private)
            .timeout(config.timeout)
            .user_agent(concat!("Switchboard-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(DomainError::internal)?;
        Ok(Self {
            core,
            destinations,
            http,
            config,
        })
    }

    /// Processes everything due at `now` exactly once: dispatches every undispatched event,
    /// and makes one attempt at each of their deliveries and at every delivery due, batch after
    /// batch. Tests call this to drain.
    pub async fn try_execute_task(&self, now: Timestamp) -> Result<Report> {
        let mut report = Report::default();
        loop {
            let (dispatched, due) = self.claim(now).await?;
            report.dispatched += dispatched;
            if dispatched == 0 && due.is_empty() {
                break;
            }
            let sent = self.send_batch(due, now).await?;
            report.delivered += sent.delivered;
            report.failed += sent.failed;
        }
        Ok(report)
    }

    /// One claim, in one transaction: dispatches up to [`BATCH`] undispatched events (their
    /// deliveries are written already claimed) and claims up to [`BATCH`] deliveries due at
    /// `now`, so that retries are not starved by a stream of new events. Returns how many
    /// events were dispatched and the deliveries to send.
    async fn claim(&self, now: Timestamp) -> Result<(usize, Vec<Delivery>)> {
        let lease = now.saturating_add(LEASE).unwrap_or(now);
        let mut tx = self.core.store().begin_first().await?;
        let (dispatched, mut due) =
            dispatch_claimed(&mut *tx, &self.core, &self.destinations, now, lease, BATCH).await?;
        due.extend(tx.claim_due_deliveries(now, lease, BATCH).await?);
        tx.commit().await?;
        Ok((dispatched, due))
    }

    /// Sends a claimed batch, attempts side by side, and records the outcomes in one
    /// transaction. Should the process die before it commits, the leases run out and the batch
    /// is sent again (at least once).
    async fn send_batch(&self, due: Vec<Delivery>, now: Timestamp) -> Result<Report> {
        let mut report = Report::default();
        if due.is_empty() {
            return Ok(report);
        }
        // Each signing secret is opened once per batch.
        let mut secrets: HashMap<String, std::result::Result<String, String>> = HashMap::new();
        for d in &due {
            if !secrets.contains_key(&d.signing_owner) {
                let secret = self
                    .core
                    .events()
                    .signing_secret(&d.signing_owner)
                    .await
                    .map_err(|e| format!("signing secret unavailable: {e}"));
                secrets.insert(d.signing_owner.clone(), secret);
            }
        }
        // Attempts run side by side, so one slow receiver does not hold up the others.
        let outcomes: Vec<(Delivery, DeliveryAttempt, bool)> = futures::stream::iter(due)
            .map(|d| self.attempt(d, &secrets, now))
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        let mut deliveries = Vec::with_capacity(outcomes.len());
        let mut attempts = Vec::with_capacity(outcomes.len());
        for (delivery, attempt, ok) in outcomes {
            if ok {
                report.delivered += 1;
            } else {
                report.failed += 1;
            }
            deliveries.push(delivery);
            attempts.push(attempt);
        }
        let mut tx = self.core.store().begin_first().await?;
        tx.insert_attempts(&attempts).await?;
        tx.update_deliveries(&deliveries).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Runs until `shutdown` resolves: claims at once, after every commit signal, when a
    /// delivery falls due, and at least every [`WorkerConfig::poll`]; keeps claiming while
    /// earlier batches are being sent; prunes now and then. On shutdown it waits for the
    /// batches in flight, so their attempts are recorded.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut commits = match self.core.store().subscribe_commits().await {
            Ok(watch) => Some(watch),
            Err(e) => {
                tracing::warn!(error = %e, "no commit signals; the event worker polls only");
                None
            }
        };
        let mut sending: JoinSet<Result<Report>> = JoinSet::new();
        let mut next_prune = Instant::now();
        let mut not_before = Instant::now();
        loop {
            // Room for another batch: claim it now, while earlier ones are being sent.
            let mut wait = self.config.poll;
            let mut more = false;
            let pause = not_before.saturating_duration_since(Instant::now());
            if !pause.is_zero() {
                wait = pause;
            } else if sending.len() < IN_FLIGHT {
                let now = self.core.clock().now();
                match self.claim(now).await {
                    Ok((dispatched, due)) => {
                        let found = dispatched > 0 || !due.is_empty();
                        // A full batch: perhaps more waiting. A partial one: events trickle
                        // in, so let a few gather before the next claim.
                        more = dispatched >= BATCH as usize || due.len() >= BATCH as usize;
                        if found && !more {
                            not_before = Instant::now() + CLAIM_GAP;
                            wait = CLAIM_GAP;
                        }
                        if !due.is_empty() {
                            let worker = self.clone();
                            sending.spawn(async move { worker.send_batch(due, now).await });
                        }
                        if !found {
                            wait = self.until_due().await;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "claiming event work failed"),
                }
            }
            if Instant::now() >= next_prune {
                next_prune = Instant::now() + self.config.prune_every;
                match self
                    .prune_turn(self.core.clock().now(), Some(PRUNE_TURN))
                    .await
                {
                    Ok((pruned, left)) => {
                        if pruned != Pruned::default() {
                            tracing::info!(?pruned, "pruned old event records");
                        }
                        if left {
                            // More to go: after the deliveries that are due have had a turn.
                            next_prune = Instant::now();
                            wait = MIN_WAIT;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "pruning failed"),
                }
            }
            if more && sending.len() < IN_FLIGHT {
                // Perhaps more work than one claim takes; a shutdown still ends the loop.
                if (&mut shutdown).now_or_never().is_some() {
                    break;
                }
                continue;
            }
            let signal = async {
                match commits.as_mut() {
                    Some(watch) => watch.changed().await,
                    None => std::future::pending().await,
                }
            };
            let still_signalled = tokio::select! {
                () = &mut shutdown => break,
                Some(done) = sending.join_next(), if !sending.is_empty() => {
                    log_batch(done);
                    true
                }
                () = tokio::time::sleep(wait) => true,
                alive = signal => alive,
            };
            if !still_signalled {
                commits = None;
            }
        }
        while let Some(done) = sending.join_next().await {
            log_batch(done);
        }
    }

    /// How long to sleep: until the earliest pending delivery is due, at most a poll.
    async fn until_due(&self) -> Duration {
        let poll = self.config.poll;
        match self.core.store().next_delivery_due().await {
            Ok(Some(due)) => {
                let left = due.duration_since(self.core.clock().now());
                Duration::try_from(left).map_or(MIN_WAIT, |d| d.clamp(MIN_WAIT, poll))
            }
            Ok(None) => poll,
            Err(e) => {
                tracing::error!(error = %e, "cannot read when the next delivery is due");
                poll
            }
        }
    }

    /// One attempt: the delivery as it stands after it (next attempt scheduled), the record of
    /// the attempt, and `true` when delivered.
    async fn attempt(
        &self,
        mut delivery: Delivery,
        secrets: &HashMap<String, std::result::Result<String, String>>,
        now: Timestamp,
    ) -> (Delivery, DeliveryAttempt, bool) {
        let started = Instant::now();
        let outcome = match secrets.get(&delivery.signing_owner) {
            Some(Ok(secret)) => self.send(&delivery, secret).await,
            Some(Err(e)) => Err(Failure::new(e.clone())),
            None => Err(Failure::new("signing secret unavailable".into())),
        };
        let duration_ms = started.elapsed().as_millis() as i64;
        let status_code = match &outcome {
            Ok(()) => Some(200),
            Err(f) => f.status,
        };
        let error = outcome.as_ref().err().map(|f| f.reason.clone());
        delivery.attempts += 1;
        let ok = outcome.is_ok();
        let wait = match &outcome {
            Ok(()) => None,
            Err(f) => {
                schedule::next_wait(delivery.schedule, &self.config.retry, delivery.attempts, f)
            }
        };
        if ok {
            delivery.status = DeliveryStatus::Delivered;
            delivery.finished_at = Some(now);
            delivery.last_error = None;
        } else if let Some(wait) = wait {
            let wait = SignedDuration::try_from(wait).unwrap_or(SignedDuration::from_secs(3600));
            delivery.next_attempt_at = now.saturating_add(wait).unwrap_or(now);
            delivery.last_error.clone_from(&error);
        } else {
            delivery.status = DeliveryStatus::Exhausted;
            delivery.finished_at = Some(now);
            delivery.last_error.clone_from(&error);
        }
        if let Some(e) = &error {
            tracing::warn!(delivery = %delivery.id, attempt = delivery.attempts, error = %e, "webhook attempt failed");
        }
        let attempt = DeliveryAttempt {
            id: AttemptId::generate(),
            delivery_id: delivery.id,
            attempted_at: now,
            status_code,
            error,
            duration_ms,
        };
        (delivery, attempt, ok)
    }

    async fn send(&self, delivery: &Delivery, secret: &str) -> std::result::Result<(), Failure> {
        let url = reqwest::Url::parse(&delivery.url)
            .map_err(|e| Failure::new(format!("invalid URL: {e}")))?;
        check_literal(&url, self.config.allow_private).map_err(|r| Failure::new(r.to_string()))?;
        let id = webhook_id(delivery);
        let timestamp = self.core.clock().now().as_second();
        let signature = sign(secret, &id, timestamp, &delivery.body).map_err(Failure::new)?;
        // A body that is not JSON is a compact JWT (a receiver with a secret).
        let content_type = if delivery.body.starts_with('{') || delivery.body.starts_with('[') {
            "application/json"
        } else {
            "application/jwt"
        };
        let response = self
            .http
            .post(url)
            .timeout(schedule::timeout(delivery.schedule, self.config.timeout))
            .header("content-type", content_type)
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await
            .map_err(|e| Failure::new(describe(&e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after = retry_after(response.headers());
        Err(Failure {
            status: Some(i64::from(status.as_u16())),
            reason: format!("receiver answered {status}"),
            retry_after,
        })
    }
}

/// Logs a batch that could not be recorded (its leases run out and it is sent again).
fn log_batch(done: std::result::Result<Result<Report>, tokio::task::JoinError>) {
    match done {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "recording a batch of event deliveries failed"),
        Err(e) => tracing::error!(error = %e, "a batch of event deliveries stopped"),
    }
}

/// The `webhook-id` of a delivery: the same on every attempt and replay.
pub fn webhook_id(delivery: &Delivery) -> String {
    format!("msg_{}", delivery.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_respect_retry_after_and_the_cap() {
        let p = RetryPolicy::default();
        let first = p.delay(1, None);
        assert!(first >= Duration::from_secs(8) && first <= Duration::from_secs(12));
        let fourth = p.delay(4, None);
        assert!(fourth >= Duration::from_secs(64) && fourth <= Duration::from_secs(96));
        assert!(p.delay(1, Some(Duration::from_secs(600))) >= Duration::from_secs(600));
        assert!(p.delay(30, None) <= p.max_delay);
        assert!(p.delay(1, Some(Duration::from_secs(999_999))) <= p.max_delay);
    }
}
