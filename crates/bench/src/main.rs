//! `switchboard-bench`: throughput of the running Switchboard server next to a bare axum handler.
//!
//! It measures, over real HTTP on loopback, (1) authenticated agent reads
//! (`GET /partner/v1/agents/{agentId}`) and (2) versioned agent PATCHes against the `switchboard`
//! binary on a throwaway SQLite data directory, and a trivial axum `GET /` (no auth, no
//! database) in the same run on the same machine. Absolute requests per second depend on the
//! machine, the load generator sharing its CPUs and everything else running; the ratios to the
//! bare handler are what to compare between runs and commits. It reports; it never fails on
//! slowness.
//!
//! Then it measures commit-to-receive latency of webhooks (see [`delivery`]): the server's
//! delivery path in this process, at a fixed rate of events for a few seconds, against a
//! receiver on loopback, reported as p50/p99 (the target is p99 ≤ 100 ms).

mod delivery;
mod load;
mod servers;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use clap::Parser;
use serde_json::json;

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
    /// Events per second committed in the delivery latency measurement.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    delivery_rate: u64,
    /// Seconds of committing events in the delivery latency measurement.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=30))]
    delivery_seconds: u64,
    /// Run the delivery latency measurement on this PostgreSQL database (`postgres://…`)
    /// instead of a temporary SQLite file.
    #[arg(long, value_name = "URL")]
    delivery_database: Option<String>,
    /// Only the delivery latency measurement.
    #[arg(long, conflicts_with = "skip_delivery")]
    only_delivery: bool,
    /// Skip the delivery latency measurement.
    #[arg(long)]
    skip_delivery: bool,
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
    if !args.only_delivery {
        throughput(&args).await?;
    }
    if !args.skip_delivery {
        let plan = delivery::Plan {
            rate: args.delivery_rate,
            seconds: args.delivery_seconds,
            database: args.delivery_database.clone(),
        };
        eprintln!(
            "measuring webhook delivery: {} events/s for {} s ...",
            plan.rate, plan.seconds
        );
        let result = delivery::run(&plan).await?;
        report_delivery(&plan, &result);
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
    let (server, account) =
        servers::start_switchboard(&bin, &client, Duration::from_secs(30)).await?;
    let agent_id = server.create_agent(&client, &account.api_key).await?;

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("switchboard-bench: {concurrency} connections, {warm_up:?} warm-up + {duration:?} per measurement, {cpus} CPUs");
    println!(
        "server: {} (SQLite, temporary data directory)\n",
        bin.display()
    );

    let bare_url = format!("http://{bare}/");
    let agent_url = format!("{}/partner/v1/agents/{agent_id}", server.base);
    let key = account.api_key.clone();
    let cases: Vec<(&str, MakeRequest)> = vec![
        (
            "bare axum GET",
            Arc::new(move |c: &reqwest::Client, _| c.get(&bare_url)),
        ),
        ("agent GET", {
            let (url, key) = (agent_url.clone(), key.clone());
            Arc::new(move |c: &reqwest::Client, _| c.get(&url).header("api_token", &key))
        }),
        ("agent PATCH", {
            let (url, key) = (agent_url, key);
            Arc::new(move |c: &reqwest::Client, n| {
                c.patch(&url)
                    .header("api_token", &key)
                    .json(&json!({"settings": {"n": n}, "metadata": {"commit_message": "bench"}}))
            })
        }),
    ];

    let mut results: Vec<(&str, Outcome)> = Vec::new();
    for (name, make) in &cases {
        eprintln!("measuring {name} ...");
        load::run(&client, make, concurrency, warm_up).await?;
        results.push((name, load::run(&client, make, concurrency, duration).await?));
    }
    report(&results);

    let failed = results.iter().any(|(_, o)| o.failures() > 0);
    if failed {
        let tail = server.log_tail();
        if !tail.is_empty() {
            println!("\nlast lines of the server log:\n{tail}");
        }
    }
    drop(server);
    Ok(())
}

fn report(results: &[(&str, Outcome)]) {
    let base = results.first().map_or(0.0, |(_, o)| o.per_second());
    let ratio = |o: &Outcome| {
        if base > 0.0 {
            o.per_second() / base
        } else {
            0.0
        }
    };
    let ms = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.2}"));
    println!(
        "{:<14} {:>10} {:>10} {:>8} {:>8} {:>9} {:>8}",
        "name", "requests", "req/s", "p50 ms", "p99 ms", "vs bare", "non-2xx"
    );
    for (name, o) in results {
        println!(
            "{:<14} {:>10} {:>10.0} {:>8} {:>8} {:>8.3}x {:>8}",
            name,
            o.ok,
            o.per_second(),
            ms(o.percentile_ms(0.50)),
            ms(o.percentile_ms(0.99)),
            ratio(o),
            o.failures()
        );
    }
    println!();
    for (name, label) in [
        ("agent GET", "agent reads"),
        ("agent PATCH", "versioned PATCHes"),
    ] {
        if let Some((_, o)) = results.iter().find(|(n, _)| *n == name) {
            println!(
                "{label}: {:.0} req/s = {:.3}x bare axum ({:.0} req/s)",
                o.per_second(),
                ratio(o),
                base
            );
        }
    }
    for (name, o) in results.iter().filter(|(_, o)| o.failures() > 0) {
        let codes: Vec<String> = o.non_2xx.iter().map(|(s, n)| format!("{s} x{n}")).collect();
        println!(
            "\n{name}: {} non-2xx [{}], {} transport errors; first: {}",
            o.non_2xx.values().sum::<u64>(),
            codes.join(", "),
            o.errors,
            o.first_failure.as_deref().unwrap_or("-")
        );
    }
}
