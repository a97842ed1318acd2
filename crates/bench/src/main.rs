//! `switchboard-bench`: throughput of the running Switchboard server next to a bare axum handler.
//!
//! It measures, over real HTTP on loopback, (1) authenticated agent reads
//! (`GET /partner/v1/agents/{agentId}`) and (2) versioned agent PATCHes against the `switchboard`
//! binary on a throwaway SQLite data directory (or the PostgreSQL server given with
//! `--database`), and a trivial axum `GET /` (no auth, no database) in the same run on the same
//! machine; then (3) how list pages cost at 1,000 and 1,000,000 rows ([`lists`]). Load comes
//! from `wrk` ([`wrk`]) when it is installed, so that the bare handler is measured at what the
//! machine can serve; the built-in generator ([`load`]) is the fallback. Absolute requests per second depend on the
//! machine, the load generator sharing its CPUs and everything else running; the ratios to the
//! bare handler are what to compare between runs and commits. It reports; it never fails on
//! slowness.
//!
//! Then it measures commit-to-receive latency of webhooks (see [`delivery`]): the server's
//! delivery path in this process, at a fixed rate of events for a few seconds, against a
//! receiver on loopback, reported as p50/p99 (the target is p99 ≤ 100 ms).
//!
//! Last, the routing benchmarks (see [`routing`]), in this process: the time of one routing
//! decision for a call center of 100 and of 100,000 operators (target: the large at most
//! 1.25× the small), and inbound calls per second end to end through the simulator.

mod delivery;
mod drain;
mod inbound;
mod lists;
mod load;
mod routing;
mod servers;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use clap::Parser;

use load::{MakeRequest, Outcome};

/// Measures Switchboard's agent reads and versioned PATCHes per second against a bare axum
/// handler in the same run, and prints them side by side with ratios; then webhook
/// commit-to-receive latency at a fixed event rate.
#[derive(Debug, Parser)]
#[command(
    name = "switchboard-bench",
    after_help = "The server binary must be built first: `cargo build --release -p switchboard` \
                  (scripts/bench builds both and runs this). All traffic stays on 127.0.0.1; \
                  the server gets a temporary data directory (SQLite) that is removed at the end."
)]
struct Args {
    /// Seconds per measurement, after a short warm-up.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=300))]
    seconds: u64,
    /// Concurrent request loops (connections) per measurement.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=1024))]
    concurrency: u64,
    /// The `switchboard` server binary [default: `switchboard` next to this executable, i.e.
    /// target/release/switchboard, built with `cargo build --release -p switchboard`].
    #[arg(long, value_name = "PATH")]
    server_bin: Option<PathBuf>,
    /// Run the server on this PostgreSQL server instead of SQLite (`postgres://…`); a scratch
    /// database is created on it and dropped at the end.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Rows of the small list measurement.
    #[arg(long, default_value_t = 1_000)]
    list_small: u64,
    /// Rows of the large list measurement (0 skips the list benchmark).
    #[arg(long, default_value_t = 1_000_000)]
    list_large: u64,
    /// Use the built-in load generator even when `wrk` is installed.
    #[arg(long)]
    no_wrk: bool,
    /// Events per second committed in the delivery latency measurement.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    delivery_rate: u64,
    /// Seconds of committing events in the delivery latency measurement.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=30))]
    delivery_seconds: u64,
    /// Run the delivery latency measurement on this PostgreSQL database (`postgres://…`)
    /// instead of a temporary SQLite file [default: `--database`].
    #[arg(long, value_name = "URL")]
    delivery_database: Option<String>,
    /// Events of the delivery throughput measurement (a backlog drained by the worker).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    drain_events: u64,
    /// Only the delivery latency measurement.
    #[arg(long, conflicts_with = "skip_delivery")]
    only_delivery: bool,
    /// Skip the delivery latency measurement.
    #[arg(long)]
    skip_delivery: bool,
    /// Operators of the small call center in the routing decision measurement.
    #[arg(long, default_value_t = 100)]
    routing_small: u64,
    /// Operators of the large call center in the routing decision measurement.
    #[arg(long, default_value_t = 100_000)]
    routing_large: u64,
    /// Seconds of each inbound calls-per-second measurement.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=300))]
    call_seconds: u64,
    /// Run the routing measurements on this PostgreSQL server (`postgres://…`, a scratch
    /// database is made on it) instead of a temporary SQLite file [default: `--database`].
    #[arg(long, value_name = "URL")]
    routing_database: Option<String>,
    /// Only the routing measurements (decision time, inbound calls per second).
    #[arg(long, conflicts_with_all = ["skip_routing", "only_delivery"])]
    only_routing: bool,
    /// Skip the routing measurements.
    #[arg(long)]
    skip_routing: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // On Ctrl-C the `run` future is dropped, which kills the child server and removes its
    // data directory.
    let result = tokio::select! {
        r = run(args) => r,
        _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("switchboard-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn server_bin(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let path = match given {
        Some(p) => p,
        None => std::env::current_exe()?
            .parent()
            .context("no directory for this executable")?
            .join(format!("switchboard{}", std::env::consts::EXE_SUFFIX)),
    };
    if !path.is_file() {
        anyhow::bail!(
            "server binary {} not found: run `cargo build --release -p switchboard` or pass --server-bin",
            path.display()
        );
    }
    Ok(path)
}

async fn run(args: Args) -> anyhow::Result<()> {
    if !args.only_delivery && !args.only_routing {
        throughput(&args).await?;
    }
    if !args.skip_delivery && !args.only_routing {
        let plan = delivery::Plan {
            rate: args.delivery_rate,
            seconds: args.delivery_seconds,
            database: args
                .delivery_database
                .clone()
                .or_else(|| args.database.clone()),
        };
        eprintln!(
            "measuring webhook delivery: {} events/s for {} s ...",
            plan.rate, plan.seconds
        );
        let result = delivery::run(&plan).await?;
        report_delivery(&plan, &result);
        let events = usize::try_from(args.drain_events)?;
        eprintln!("measuring webhook delivery throughput: a backlog of {events} events ...");
        let t = drain::run(events, plan.database.clone()).await?;
        println!(
            "\nwebhook delivery throughput ({}, one process, receiver on loopback): {} of {} \
             events delivered in {:.2} s = {:.0} deliveries/s (target: at least 5,000)",
            t.database,
            t.received,
            t.events,
            t.elapsed.as_secs_f64(),
            t.per_second()
        );
    }
    if !args.skip_routing && !args.only_delivery {
        let plan = routing::Plan {
            small: args.routing_small,
            large: args.routing_large,
            call_seconds: args.call_seconds,
            database: args
                .routing_database
                .clone()
                .or_else(|| args.database.clone()),
        };
        eprintln!(
            "measuring routing decisions at {} and {} operators, then inbound calls ...",
            plan.small, plan.large
        );
        let result = routing::run(&plan).await?;
        routing::report(&result, plan.small, plan.large);
    }
    Ok(())
}

fn report_delivery(plan: &delivery::Plan, r: &delivery::Latencies) {
    let ms = |d: Option<Duration>| {
        d.map_or_else(
            || "-".into(),
            |d| format!("{:.1}", d.as_secs_f64() * 1000.0),
        )
    };
    println!(
        "\nwebhook delivery ({}, in-process worker woken on commit, receiver on loopback): \
         {} events at {}/s over {} s, {} received in {:.1} s",
        r.database,
        r.sent,
        plan.rate,
        plan.seconds,
        r.received,
        r.elapsed.as_secs_f64()
    );
    println!(
        "producer: {} commits in {:.2} s ({:.0}/s)",
        r.sent,
        r.committed_in.as_secs_f64(),
        r.sent as f64 / r.committed_in.as_secs_f64().max(1e-9)
    );
    println!(
        "commit-to-receive latency: p50 {} ms, p99 {} ms, max {} ms (target p99 <= 100 ms)",
        ms(r.percentile(0.50)),
        ms(r.percentile(0.99)),
        ms(r.samples.last().copied())
    );
}

async fn throughput(args: &Args) -> anyhow::Result<()> {
    let bin = server_bin(args.server_bin.clone())?;
    let concurrency = usize::try_from(args.concurrency)?;
    let duration = Duration::from_secs(args.seconds);
    let warm_up = Duration::from_millis((args.seconds * 200).clamp(500, 2000));
    // One keep-alive client for everything; never a proxy, whatever the environment says.
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(concurrency)
        .build()?;

    let bare = servers::start_bare()?;
    let scratch_db = match &args.database {
        Some(url) => Some(servers::ScratchDatabase::create(url).await?),
        None => None,
    };
    let (server, account) = servers::start_switchboard(
        &bin,
        scratch_db.as_ref().map(|d| d.url.as_str()),
        &client,
        Duration::from_secs(30),
    )
    .await?;
    let agent_id = server.create_agent(&client, &account.api_key).await?;

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("switchboard-bench: {concurrency} connections, {warm_up:?} warm-up + {duration:?} per measurement, {cpus} CPUs");
    let use_wrk = !args.no_wrk && wrk::available();
    println!(
        "server: {} ({}); load: {}\n",
        bin.display(),
        if scratch_db.is_some() {
            "PostgreSQL, scratch database"
        } else {
            "SQLite, temporary data directory"
        },
        if use_wrk {
            "wrk"
        } else {
            "built-in generator (wrk not installed)"
        }
    );

    let bare_url = format!("http://{bare}/");
    let agent_url = format!("{}/partner/v1/agents/{agent_id}", server.base);
    let key = account.api_key.clone();
    let patch_body = r#"{"settings": {"n": %d}, "metadata": {"commit_message": "bench"}}"#;
    let cases = [
        Case {
            name: "bare axum GET",
            url: bare_url,
            method: "GET",
            key: None,
            body: None,
        },
        Case {
            name: "agent GET",
            url: agent_url.clone(),
            method: "GET",
            key: Some(key.clone()),
            body: None,
        },
        Case {
            name: "agent PATCH",
            url: agent_url,
            method: "PATCH",
            key: Some(key),
            body: Some(patch_body),
        },
    ];

    let scratch = tempfile::tempdir()?;
    let mut results: Vec<Measured> = Vec::new();
    for case in &cases {
        eprintln!("measuring {} ...", case.name);
        let measured = if use_wrk {
            let load = case.wrk(concurrency as u64, warm_up);
            wrk::run(&load, scratch.path())?;
            let load = wrk::Load { duration, ..load };
            Measured::from_wrk(case.name, wrk::run(&load, scratch.path())?)
        } else {
            let make = case.make_request();
            load::run(&client, &make, concurrency, warm_up).await?;
            Measured::from_load(
                case.name,
                load::run(&client, &make, concurrency, duration).await?,
            )
        };
        results.push(measured);
    }
    report(&results);

    if args.list_large > 0 {
        eprintln!(
            "list benchmark: seeding {} then {} rows ...",
            args.list_small, args.list_large
        );
        let timings = lists::run(
            &client,
            &server,
            &account,
            args.list_small,
            args.list_large,
            20,
        )
        .await?;
        lists::report(&timings, args.list_small, args.list_large);
    }

    let failed = results.iter().any(|m| m.failures > 0);
    if failed {
        let tail = server.log_tail();
        if !tail.is_empty() {
            println!("\nlast lines of the server log:\n{tail}");
        }
    }
    drop(server);
    if let Some(db) = scratch_db {
        db.drop_database().await?;
    }
    Ok(())
}

/// One kind of request under load.
struct Case {
    name: &'static str,
    url: String,
    method: &'static str,
    /// Sent as `api_token`.
    key: Option<String>,
    /// A JSON body with `%d` where the request number goes.
    body: Option<&'static str>,
}

impl Case {
    fn wrk(&self, connections: u64, duration: Duration) -> wrk::Load<'_> {
        let mut headers = Vec::new();
        if let Some(key) = &self.key {
            headers.push(("api_token", key.clone()));
        }
        if self.body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        wrk::Load {
            url: &self.url,
            method: self.method,
            headers,
            body: self.body,
            connections,
            threads: 2,
            duration,
        }
    }

    fn make_request(&self) -> MakeRequest {
        let (url, key, body) = (self.url.clone(), self.key.clone(), self.body);
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("a method name");
        Arc::new(move |c: &reqwest::Client, n| {
            let mut r = c.request(method.clone(), &url);
            if let Some(key) = &key {
                r = r.header("api_token", key);
            }
            if let Some(body) = body {
                r = r
                    .header("Content-Type", "application/json")
                    .body(body.replace("%d", &n.to_string()));
            }
            r
        })
    }
}

/// A measurement, whichever generator made it.
struct Measured {
    name: &'static str,
    ok: u64,
    per_second: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    failures: u64,
    detail: Option<String>,
}

impl Measured {
    fn from_wrk(name: &'static str, o: wrk::Outcome) -> Self {
        Self {
            name,
            ok: o.requests.saturating_sub(o.non_2xx),
            per_second: o.per_second(),
            p50_ms: Some(o.p50_ms),
            p99_ms: Some(o.p99_ms),
            failures: o.failures(),
            detail: (o.failures() > 0)
                .then(|| format!("{} non-2xx, {} transport errors", o.non_2xx, o.errors)),
        }
    }

    fn from_load(name: &'static str, o: Outcome) -> Self {
        let codes: Vec<String> = o.non_2xx.iter().map(|(s, n)| format!("{s} x{n}")).collect();
        Self {
            name,
            ok: o.ok,
            per_second: o.per_second(),
            p50_ms: o.percentile_ms(0.50),
            p99_ms: o.percentile_ms(0.99),
            failures: o.failures(),
            detail: (o.failures() > 0).then(|| {
                format!(
                    "{} non-2xx [{}], {} transport errors; first: {}",
                    o.non_2xx.values().sum::<u64>(),
                    codes.join(", "),
                    o.errors,
                    o.first_failure.as_deref().unwrap_or("-")
                )
            }),
        }
    }
}

fn report(results: &[Measured]) {
    let base = results.first().map_or(0.0, |m| m.per_second);
    let ratio = |m: &Measured| {
        if base > 0.0 {
            m.per_second / base
        } else {
            0.0
        }
    };
    let ms = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.2}"));
    println!(
        "{:<14} {:>10} {:>10} {:>8} {:>8} {:>9} {:>8}",
        "name", "requests", "req/s", "p50 ms", "p99 ms", "vs bare", "failed"
    );
    for m in results {
        println!(
            "{:<14} {:>10} {:>10.0} {:>8} {:>8} {:>8.3}x {:>8}",
            m.name,
            m.ok,
            m.per_second,
            ms(m.p50_ms),
            ms(m.p99_ms),
            ratio(m),
            m.failures
        );
    }
    println!();
    for (name, label) in [
        ("agent GET", "agent reads"),
        ("agent PATCH", "versioned PATCHes"),
    ] {
        if let Some(m) = results.iter().find(|m| m.name == name) {
            println!(
                "{label}: {:.0} req/s = {:.3}x bare axum ({:.0} req/s)",
                m.per_second,
                ratio(m),
                base
            );
        }
    }
    for m in results {
        if let Some(detail) = &m.detail {
            println!("\n{}: {detail}", m.name);
        }
    }
}
