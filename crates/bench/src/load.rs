//! The load generator: `concurrency` tasks share one keep-alive client and each loops one kind
//! of request until a deadline, recording status codes and the latency of every 2xx response.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Builds the request for call number `n` (counted across all tasks, from 0).
pub type MakeRequest = Arc<dyn Fn(&reqwest::Client, u64) -> reqwest::RequestBuilder + Send + Sync>;

/// What one measurement saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// 2xx responses.
    pub ok: u64,
    /// From the first request sent until the last task stopped.
    pub elapsed: Duration,
    /// Responses outside 2xx, by status code.
    pub non_2xx: BTreeMap<u16, u64>,
    /// Requests that got no response at all (connection error, timeout).
    pub errors: u64,
    /// The first non-2xx response (status and start of the body) or transport error.
    pub first_failure: Option<String>,
    /// Latencies of the 2xx responses in microseconds, sorted.
    latencies_us: Vec<u64>,
}

impl Outcome {
    /// 2xx responses per second.
    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.ok as f64 / secs
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile (`p` in 0..=1) of the 2xx latencies, in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> Option<f64> {
        let n = self.latencies_us.len();
        if n == 0 {
            return None;
        }
        let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
        Some(self.latencies_us[rank - 1] as f64 / 1000.0)
    }

    /// Non-2xx responses and transport errors together.
    pub fn failures(&self) -> u64 {
        self.non_2xx.values().sum::<u64>() + self.errors
    }

    fn merge(&mut self, other: Outcome) {
        self.ok += other.ok;
        for (status, count) in other.non_2xx {
            *self.non_2xx.entry(status).or_default() += count;
        }
        self.errors += other.errors;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
        self.latencies_us.extend(other.latencies_us);
    }
}

/// Runs `concurrency` request loops for `duration` and returns what they saw. Requests already
/// in flight at the deadline are allowed to finish (the client's timeout bounds them) and count.
pub async fn run(
    client: &reqwest::Client,
    make: &MakeRequest,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let counter = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let client = client.clone();
        let make = Arc::clone(make);
        let counter = Arc::clone(&counter);
        tasks.push(tokio::spawn(async move {
            let mut seen = Outcome::default();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                let result = make(&client, n).send().await;
                match result {
                    Ok(response) => {
                        let status = response.status();
                        // Read the whole body so the connection goes back to the pool.
                        let body = response.bytes().await;
                        if status.is_success() && body.is_ok() {
                            seen.ok += 1;
                            seen.latencies_us.push(sent.elapsed().as_micros() as u64);
                        } else if let Err(e) = body {
                            seen.errors += 1;
                            seen.first_failure.get_or_insert_with(|| format!("{e}"));
                        } else {
                            *seen.non_2xx.entry(status.as_u16()).or_default() += 1;
                            seen.first_failure.get_or_insert_with(|| {
                                let text =
                                    String::from_utf8_lossy(body.as_deref().unwrap_or_default());
                                format!("{status}: {}", text.chars().take(200).collect::<String>())
                            });
                        }
                    }
                    Err(e) => {
                        seen.errors += 1;
                        seen.first_failure.get_or_insert_with(|| format!("{e}"));
                        // A refused connection fails at once: do not spin on it.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
            seen
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await?);
    }
    total.elapsed = start.elapsed();
    total.latencies_us.sort_unstable();
    Ok(total)
}
