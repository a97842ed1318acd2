//! The list benchmark: how a list's first page and a page deep in it cost as the company grows.
//!
//! Rows are inserted straight into the server's database (one `INSERT … SELECT` over a
//! recursive series per table, which SQLite and PostgreSQL both run), first up to `small` rows,
//! then up to `large`. Each list is timed over HTTP at both sizes: the first page of 25, and a
//! deep page (Dialgood pages by `skip`, so its deep page is the last one; Callin, Bird and
//! Dialpad page by cursor, so theirs is the page reached by following the cursor `hops` times). Each figure
//! is the median of several requests; the ratio to the small figure is what should stay near 1.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::Value;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use crate::servers::{Account, Switchboard};

/// Ids of seeded rows start here: far above generated ids' usual values, below 2^53.
const ID_BASE: i64 = 8_000_000_000_000_000;
const PAGE: usize = 25;
const REPEAT: usize = 7;

/// One list at one size.
#[derive(Debug, Clone)]
pub struct Timing {
    pub list: &'static str,
    pub rows: u64,
    pub first_ms: f64,
    pub deep_ms: f64,
    pub deep_label: String,
}

/// Seeds `small`, times, seeds up to `large`, times again.
pub async fn run(
    client: &reqwest::Client,
    server: &Switchboard,
    account: &Account,
    small: u64,
    large: u64,
    hops: usize,
) -> anyhow::Result<Vec<Timing>> {
    switchboard_store::install_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&server.database_url)
        .await
        .context("connect to the server's database for seeding")?;
    let mut out = Vec::new();
    let mut seeded = 0;
    for size in [small, large] {
        let started = Instant::now();
        seed(&pool, account, seeded, size).await?;
        eprintln!(
            "seeded {size} agents and {size} Bird agents in {:.1?}",
            started.elapsed()
        );
        seeded = size;
        out.extend(time_lists(client, server, account, size, hops).await?);
    }
    pool.close().await;
    Ok(out)
}

/// Adds rows `from + 1 ..= to`: AI agents owned by the account's user, and users of its company
/// (in its main office) with Bird agent profiles; the users are Bird's and Dialpad's lists.
async fn seed(pool: &AnyPool, account: &Account, from: u64, to: u64) -> anyhow::Result<()> {
    if to <= from {
        return Ok(());
    }
    let now = jiff::Timestamp::now().as_millisecond() - to as i64 * 1000;
    let series = "WITH RECURSIVE s(n) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT n + 1 FROM s WHERE n < $2)";
    let statements = [
        format!(
            "{series} INSERT INTO ai_agents (id, company_id, owner_id, name, settings, phone_numbers, \
             metadata, extra, revision, created_at, updated_at) \
             SELECT {ID_BASE} + n, $3, $4, 'Bench agent ' || n, '{{}}', '[]', '{{}}', '{{}}', 1, \
             $5 + n * 1000, $5 + n * 1000 FROM s"
        ),
        format!(
            "{series} INSERT INTO users (id, company_id, email, first_name, last_name, is_admin, \
             partner_api_enabled, created_at, office_id) \
             SELECT {ID_BASE} + n, $3, 'bench' || n || '@example.com', 'Bench', 'Agent ' || n, \
             false, false, $5 + n * 1000, \
             (SELECT o.id FROM offices o WHERE o.company_id = $3 AND o.is_primary = TRUE) \
             FROM s WHERE $4 = $4"
        ),
        format!(
            "{series} INSERT INTO agent_profiles (user_id, company_id, display_name, name_key, \
             presence_status, status_rank, open_work, placeholder, wrap_up_time, holidays, \
             role_ids, drop_vms, removed, created_at, updated_at) \
             SELECT {ID_BASE} + n, $3, 'Bench agent ' || n, 'bench agent ' || n, 'away', 1, 0, \
             false, 0, '[]', '[]', '[]', false, $5 + n * 1000, $5 + n * 1000 FROM s WHERE $4 = $4"
        ),
        // The counters the writes keep: the company's agents and the user's visible AI agents.
        "INSERT INTO agent_counts (company_id, agents) SELECT $3, $2 - $1 + 1 WHERE $4 = $4 AND $5 = $5 \
         ON CONFLICT (company_id) DO UPDATE SET agents = agent_counts.agents + excluded.agents"
            .to_owned(),
        "INSERT INTO user_agent_counts (user_id, visible) SELECT $4, $2 - $1 + 1 WHERE $3 = $3 AND $5 = $5 \
         ON CONFLICT (user_id) DO UPDATE SET visible = user_agent_counts.visible + excluded.visible"
            .to_owned(),
    ];
    let mut tx = pool.begin().await?;
    for sql in &statements {
        sqlx::query(sql)
            .bind(from as i64 + 1)
            .bind(to as i64)
            .bind(account.company_id)
            .bind(account.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("seeding: {sql}"))?;
    }
    tx.commit().await?;
    if server_is_postgres(pool) {
        // What autovacuum does soon after a bulk load: without statistics the planner takes
        // the tables for small ones.
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(())
}

fn server_is_postgres(pool: &AnyPool) -> bool {
    pool.connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
}

async fn time_lists(
    client: &reqwest::Client,
    server: &Switchboard,
    account: &Account,
    rows: u64,
    hops: usize,
) -> anyhow::Result<Vec<Timing>> {
    let key = &account.api_key;
    let dialgood = |skip: u64| {
        client
            .get(format!(
                "{}/partner/v1/agents?limit={PAGE}&skip={skip}",
                server.base
            ))
            .header("api_token", key)
    };
    let callin = |cursor: Option<&str>| {
        let mut url = format!("{}/api/public/v1/agents?limit={PAGE}", server.base);
        if let Some(c) = cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        client.get(url).header("x-api-key", key)
    };
    let bird = |token: Option<&str>| {
        let mut url = format!(
            "{}/workspaces/{}/agents?limit={PAGE}",
            server.base, account.workspace_id
        );
        if let Some(t) = token {
            url.push_str(&format!("&pageToken={t}"));
        }
        client
            .get(url)
            .header("Authorization", format!("AccessKey {key}"))
    };

    let mut out = Vec::new();
    // Dialgood: skip/limit; the user also owns the one agent the read benchmark made.
    let total = rows + 1;
    let last = total.saturating_sub(PAGE as u64);
    out.push(Timing {
        list: "Dialgood GET /partner/v1/agents",
        rows,
        first_ms: median_ms(|| dialgood(0)).await?,
        deep_ms: median_ms(|| dialgood(last)).await?,
        deep_label: format!("skip={last}"),
    });

    let deep = follow(hops, &callin, "/nextCursor").await?;
    out.push(Timing {
        list: "Callin GET /api/public/v1/agents",
        rows,
        first_ms: median_ms(|| callin(None)).await?,
        deep_ms: median_ms(|| callin(deep.as_deref())).await?,
        deep_label: format!("after {hops} cursors"),
    });

    let deep = follow(hops, &bird, "/nextPageToken").await?;
    out.push(Timing {
        list: "Bird GET /workspaces/{id}/agents",
        rows,
        first_ms: median_ms(|| bird(None)).await?,
        deep_ms: median_ms(|| bird(deep.as_deref())).await?,
        deep_label: format!("after {hops} page tokens"),
    });

    let dialpad = |cursor: Option<&str>| {
        let mut url = format!("{}/api/v2/users?limit={PAGE}", server.base);
        if let Some(c) = cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        client
            .get(url)
            .header("Authorization", format!("Bearer {key}"))
    };
    let deep = follow(hops, &dialpad, "/cursor").await?;
    out.push(Timing {
        list: "Dialpad GET /api/v2/users",
        rows,
        first_ms: median_ms(|| dialpad(None)).await?,
        deep_ms: median_ms(|| dialpad(deep.as_deref())).await?,
        deep_label: format!("after {hops} cursors"),
    });
    Ok(out)
}

/// Follows the next-page pointer at `pointer` `hops` times and returns the last one.
async fn follow<F>(hops: usize, request: F, pointer: &str) -> anyhow::Result<Option<String>>
where
    F: Fn(Option<&str>) -> reqwest::RequestBuilder,
{
    let mut token: Option<String> = None;
    for _ in 0..hops {
        let body = fetch(request(token.as_deref())).await?;
        match body.pointer(pointer).and_then(Value::as_str) {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    Ok(token)
}

async fn fetch(request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("list request answered {status}: {body}");
    }
    Ok(body)
}

/// The median time of `REPEAT` requests, after one untimed request.
async fn median_ms<F>(request: F) -> anyhow::Result<f64>
where
    F: Fn() -> reqwest::RequestBuilder,
{
    fetch(request()).await?;
    let mut times = Vec::with_capacity(REPEAT);
    for _ in 0..REPEAT {
        let started = Instant::now();
        fetch(request()).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(ms(times[REPEAT / 2]))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Prints each list's figures at both sizes, with the ratio of the large to the small.
pub fn report(timings: &[Timing], small: u64, large: u64) {
    println!(
        "\n{:<34} {:>10} {:>12} {:>12} {:>8}   {:<24}",
        "list", "rows", "first ms", "deep ms", "deep ×", "deep page"
    );
    for t in timings {
        let base = timings.iter().find(|b| b.list == t.list && b.rows == small);
        let ratio = |f: fn(&Timing) -> f64| base.map_or(1.0, |b| f(t) / f(b).max(1e-9));
        println!(
            "{:<34} {:>10} {:>12.2} {:>12.2} {:>7.1}x   {:<24}",
            t.list,
            t.rows,
            t.first_ms,
            t.deep_ms,
            ratio(|t| t.deep_ms),
            t.deep_label
        );
        if t.rows == large {
            println!(
                "{:<34} {:>10} first page {:.1}x the {small}-row figure",
                "",
                "",
                ratio(|t| t.first_ms)
            );
        }
    }
}
