//! The routing benchmarks, run in this process against the server's domain and store (no HTTP):
//!
//! 1. **Decision time** against the size of a call center: a call center of `small` operators
//!    and one of `large` in the same database, seeded straight into it (users, memberships,
//!    duty statuses — a third off duty —, claims — one in seven on a call —, activity, and the
//!    routing index rows, written by the same statement the migration backfills with). Each
//!    figure is the median of many `Calls::plan_now` calls, the two groups in turn: the
//!    reads a real call makes (group, office, the candidates from the routing index, presences,
//!    the queue, whether anyone is on duty) and the engine's plan, in a transaction that is
//!    rolled back. Timed for each strategy the index serves; the ratio of the large figure to
//!    the small one is what should stay near 1 (target ≤ 1.25×).
//! 2. **Inbound calls per second** end to end through the simulator ([`inbound`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use switchboard::bootstrap::{self, KeySource};
use switchboard::config::{Config, Overrides};
use switchboard_domain::ids::{CompanyId, GroupId, OfficeId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::group::{GroupKind, GroupSettings, NewGroup, RoutingStrategy};
use switchboard_domain::Core;

use crate::inbound;
use crate::servers::ScratchDatabase;

/// Ids of seeded users start here.
const ID_BASE: i64 = 7_000_000_000_000_000;
/// Timed decisions per figure, after as many untimed ones as a tenth of it.
const DECISIONS: usize = 1000;

/// The strategies timed, with the index each reads.
const STRATEGIES: [(RoutingStrategy, &str); 4] = [
    (RoutingStrategy::FixedOrder, "fixedorder (join order)"),
    (RoutingStrategy::LongestIdle, "longestidle (idle since)"),
    (RoutingStrategy::MostSkilled, "mostskilled (skill, idle)"),
    (RoutingStrategy::RoundRobin, "roundrobin (last offered)"),
];

/// What the routing benchmarks are asked to do.
pub struct Plan {
    pub small: u64,
    pub large: u64,
    /// Seconds of each calls-per-second measurement.
    pub call_seconds: u64,
    /// `postgres://…` (a scratch database is made on that server); SQLite otherwise.
    pub database: Option<String>,
}

/// One decision figure.
pub struct Decision {
    pub strategy: &'static str,
    pub operators: u64,
    pub median: Duration,
    pub p90: Duration,
    /// Operators in the plan's first wave (a sanity check: someone rings).
    pub rings: usize,
}

/// What came out.
pub struct Results {
    pub database: &'static str,
    pub decisions: Vec<Decision>,
    pub rates: Vec<inbound::CallRate>,
}

/// A store and a domain over a fresh database, with a company and its main office.
pub(crate) struct Bench {
    pub(crate) core: Core,
    store: switchboard_store::SqlStore,
    pool: AnyPool,
    pub(crate) actor: Actor,
    office: OfficeId,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn open(database: Option<&str>) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let overrides = Overrides {
            data_dir: Some(dir.path().join("data")),
            database: database.map(str::to_owned),
            ..Default::default()
        };
        let (config, _) = Config::resolve(&overrides, &BTreeMap::new())?;
        let store = bootstrap::open_store(&config).await?;
        let keyring = KeySource::from_config(&config)?.keyring()?;
        let core = bootstrap::core(&store, keyring);
        switchboard_store::install_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&config.database_url())
            .await
            .context("connect to the database for seeding")?;
        let company = core.tenancy().create_company("Routing bench", None).await?;
        let row = sqlx::query("SELECT id FROM offices WHERE company_id = $1 AND is_primary = TRUE")
            .bind(company.id.0)
            .fetch_one(&pool)
            .await
            .context("the company's main office")?;
        let office = OfficeId(sqlx::Row::try_get(&row, 0)?);
        Ok(Self {
            core,
            store,
            pool,
            actor: Actor::company(company.id),
            office,
            _dir: dir,
        })
    }

    pub(crate) fn company(&self) -> CompanyId {
        self.actor.company
    }

    pub(crate) async fn call_center(&self, name: &str) -> anyhow::Result<GroupId> {
        let group = self
            .core
            .telephony()
            .create_group(
                &self.actor,
                NewGroup {
                    company_id: self.company(),
                    office_id: self.office,
                    kind: GroupKind::CallCenter,
                    name: name.into(),
                    description: None,
                    settings: GroupSettings::default_for(GroupKind::CallCenter),
                    document: Default::default(),
                },
            )
            .await?;
        Ok(group.id)
    }

    pub(crate) async fn set_strategy(
        &self,
        group: GroupId,
        strategy: RoutingStrategy,
    ) -> anyhow::Result<()> {
        self.core
            .telephony()
            .update_group(&self.actor, GroupKind::CallCenter, group, |g| {
                g.settings.routing.open.strategy = strategy;
                Ok(())
            })
            .await?;
        Ok(())
    }

    async fn close(self) {
        self.pool.close().await;
        self.store.close().await;
    }
}

/// Runs both measurements.
pub async fn run(plan: &Plan) -> anyhow::Result<Results> {
    if plan.small == 0 || plan.large < plan.small || plan.large > 10_000_000 {
        bail!("the routing benchmark needs 0 < small <= large <= 10000000 operators");
    }
    let scratch = match &plan.database {
        Some(url) => Some(ScratchDatabase::create(url).await?),
        None => None,
    };
    let bench = Bench::open(scratch.as_ref().map(|d| d.url.as_str())).await?;
    let database = bench.store.backend().name();
    let result = measure(&bench, plan).await;
    bench.close().await;
    if let Some(db) = scratch {
        db.drop_database().await?;
    }
    let (decisions, rates) = result?;
    Ok(Results {
        database,
        decisions,
        rates,
    })
}

async fn measure(
    bench: &Bench,
    plan: &Plan,
) -> anyhow::Result<(Vec<Decision>, Vec<inbound::CallRate>)> {
    let small = bench.call_center("Small call center").await?;
    let large = bench.call_center("Large call center").await?;
    let started = Instant::now();
    seed(bench, small, 0, plan.small).await?;
    seed(bench, large, plan.small, plan.small + plan.large).await?;
    eprintln!(
        "seeded call centers of {} and {} operators in {:.1?}",
        plan.small,
        plan.large,
        started.elapsed()
    );
    let mut decisions = Vec::new();
    for (strategy, label) in STRATEGIES {
        bench.set_strategy(small, strategy).await?;
        bench.set_strategy(large, strategy).await?;
        let [a, b] = time_decisions(bench, [small, large], label).await?;
        decisions.push(Decision {
            operators: plan.small,
            ..a
        });
        decisions.push(Decision {
            operators: plan.large,
            ..b
        });
    }
    decisions.sort_by_key(|d| d.operators);
    eprintln!("measuring inbound calls end to end ...");
    let number = inbound::setup(bench).await?;
    let seconds = Duration::from_secs(plan.call_seconds);
    let mut rates = Vec::new();
    for callers in [1, inbound::CALLERS] {
        rates.push(inbound::rate(bench, &number, callers, seconds).await?);
    }
    Ok((decisions, rates))
}

/// Adds operators `from + 1 ..= to` to the group (see the module's description).
async fn seed(bench: &Bench, group: GroupId, from: u64, to: u64) -> anyhow::Result<()> {
    if to <= from {
        return Ok(());
    }
    let now = jiff::Timestamp::now().as_millisecond();
    let series = "WITH RECURSIVE s(n) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
                  SELECT n + 1 FROM s WHERE n < $2)";
    let all = "$3 = $3 AND $4 = $4 AND $5 = $5";
    let statements = [
        format!(
            "{series} INSERT INTO users (id, company_id, email, first_name, last_name, is_admin, \
             partner_api_enabled, created_at, office_id) \
             SELECT {ID_BASE} + n, $3, 'op' || n || '@bench.example', 'Bench', 'Operator ' || n, \
             false, false, $5, (SELECT o.id FROM offices o WHERE o.company_id = $3 \
             AND o.is_primary = TRUE) FROM s WHERE {all}"
        ),
        format!(
            "{series} INSERT INTO group_operators (group_id, user_id, company_id, group_kind, \
             role, skill_level, added_at) \
             SELECT $4, {ID_BASE} + n, $3, 'call_center', 'operator', 1 + n % 100, $5 + n \
             FROM s WHERE {all}"
        ),
        format!(
            "{series} INSERT INTO operator_duty (user_id, company_id, on_duty, state, reason, \
             on_duty_started, state_started) \
             SELECT {ID_BASE} + n, $3, CASE WHEN n % 3 = 0 THEN false ELSE true END, \
             CASE WHEN n % 3 = 0 THEN 'unavailable' ELSE 'available' END, NULL, $5, $5 \
             FROM s WHERE {all}"
        ),
        format!(
            "{series} INSERT INTO operator_activity (user_id, company_id, idle_since, \
             wrap_up_until, last_offered_at) \
             SELECT {ID_BASE} + n, $3, $5 - (n * 7919 % 86400) * 1000, \
             CASE WHEN n % 10 = 0 THEN $5 + 600000 ELSE NULL END, \
             CASE WHEN n % 4 = 0 THEN NULL ELSE $5 - (n * 104729 % 86400) * 1000 END \
             FROM s WHERE {all}"
        ),
        format!(
            "{series} INSERT INTO operator_claims (user_id, company_id, call_id, since) \
             SELECT {ID_BASE} + n, $3, {ID_BASE} + n, $5 FROM s WHERE n % 7 = 0 AND {all}"
        ),
        // The routing index rows, as migration 0019 backfills them.
        "INSERT INTO routing_slots (group_id, user_id, ready, on_duty, position, skill_level, \
         idle_since, wrap_up_until, last_offered_at) \
         SELECT o.group_id, o.user_id, \
         CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id \
         AND NOT (d.on_duty = TRUE AND d.state = 'available')) \
         OR EXISTS (SELECT 1 FROM operator_claims c WHERE c.user_id = o.user_id) \
         THEN 0 ELSE 1 END, \
         CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id \
         AND NOT (d.on_duty = TRUE)) THEN 0 ELSE 1 END, \
         o.added_at, o.skill_level, COALESCE(a.idle_since, 0), a.wrap_up_until, \
         COALESCE(a.last_offered_at, 0) \
         FROM group_operators o LEFT JOIN operator_activity a ON a.user_id = o.user_id \
         WHERE o.group_id = $4 AND o.user_id BETWEEN $1 + {ID_BASE} AND $2 + {ID_BASE} \
         AND $3 = $3 AND $5 = $5"
            .replace("{ID_BASE}", &ID_BASE.to_string()),
    ];
    let mut tx = bench.pool.begin().await?;
    for sql in &statements {
        sqlx::query(sql)
            .bind(from as i64 + 1)
            .bind(to as i64)
            .bind(bench.company().0)
            .bind(group.0)
            .bind(now)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("seeding: {sql}"))?;
    }
    tx.commit().await?;
    if bench.store.backend().name() == "postgres" {
        // What autovacuum does soon after a bulk load.
        sqlx::query("ANALYZE").execute(&bench.pool).await?;
    }
    Ok(())
}

/// Times decisions for the two groups in turn (one of each per round, so that whatever else
/// the machine does weighs on both alike); answers each group's figures.
async fn time_decisions(
    bench: &Bench,
    groups: [GroupId; 2],
    strategy: &'static str,
) -> anyhow::Result<[Decision; 2]> {
    let calls = bench.core.calls();
    let mut rings = [0; 2];
    let mut times = [Vec::with_capacity(DECISIONS), Vec::with_capacity(DECISIONS)];
    for round in 0..DECISIONS + DECISIONS / 10 {
        for (i, group) in groups.iter().enumerate() {
            let started = Instant::now();
            let plan = calls.plan_now(bench.company(), *group).await?;
            let took = started.elapsed();
            let wave = plan.ring.first().map_or(0, |w| w.user_ids.len());
            if wave == 0 {
                bail!("the plan for {strategy} rings nobody");
            }
            rings[i] = wave;
            if round >= DECISIONS / 10 {
                times[i].push(took);
            }
        }
    }
    Ok([0, 1].map(|i| {
        let t = &mut times[i];
        t.sort_unstable();
        Decision {
            strategy,
            operators: 0,
            median: t[t.len() / 2],
            p90: t[t.len() * 9 / 10],
            rings: rings[i],
        }
    }))
}

/// Prints the decision figures with the ratio of each large figure to its small one, then the
/// call rates.
pub fn report(r: &Results, small: u64, large: u64) {
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "\nrouting decision ({}, in process: Calls::plan_now = routing index read + engine plan)",
        r.database
    );
    println!(
        "{:<28} {:>10} {:>12} {:>12} {:>8} {:>10}",
        "strategy", "operators", "median µs", "p90 µs", "rings", "vs small"
    );
    for d in &r.decisions {
        let base = r
            .decisions
            .iter()
            .find(|b| b.strategy == d.strategy && b.operators == small);
        let ratio = base.map_or(1.0, |b| us(d.median) / us(b.median).max(1e-9));
        println!(
            "{:<28} {:>10} {:>12.0} {:>12.0} {:>8} {:>9.2}x",
            d.strategy,
            d.operators,
            us(d.median),
            us(d.p90),
            d.rings,
            ratio
        );
    }
    let worst = r
        .decisions
        .iter()
        .filter(|d| d.operators == large)
        .filter_map(|d| {
            let b = r
                .decisions
                .iter()
                .find(|b| b.strategy == d.strategy && b.operators == small)?;
            Some(us(d.median) / us(b.median).max(1e-9))
        })
        .fold(0.0_f64, f64::max);
    println!("worst ratio {large} to {small} operators: {worst:.2}x (target <= 1.25x)");
    println!(
        "\ninbound calls end to end ({}, in process through core.calls(): dial, route, ring, \
         answer by the simulated device, hang up, call log row)",
        r.database
    );
    for c in &r.rates {
        println!(
            "{} caller(s): {} calls in {:.1} s = {:.0} calls/s; per call p50 {:.2} ms, p99 {:.2} ms",
            c.callers,
            c.calls,
            c.elapsed.as_secs_f64(),
            c.per_second(),
            c.percentile(0.50).as_secs_f64() * 1000.0,
            c.percentile(0.99).as_secs_f64() * 1000.0
        );
    }
}
