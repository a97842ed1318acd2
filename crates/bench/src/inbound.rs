//! Inbound calls per second end to end through the simulator, in this process against the
//! domain (`core.calls()`, no HTTP): `calls().inbound` (the call is recorded and routed; the
//! operator's simulated device, set to answer at once, answers through the same network-event
//! path a device's answer takes), then `calls().hang_up` by the caller, which ends both legs,
//! frees the operator and leaves the call log (CDR) row with outcome `answered`; each call is
//! checked. One caller at a time, then several at once.

use std::time::{Duration, Instant};

use anyhow::bail;
use switchboard_domain::calls::leg::{CallState, Outcome};
use switchboard_domain::calls::{InboundCall, Side};
use switchboard_domain::telephony::directory::NewDirectoryUser;
use switchboard_domain::telephony::group::{GroupKind, OperatorRole, RoutingStrategy};
use switchboard_domain::telephony::number::{Pick, Target, TargetKind};

use crate::routing::Bench;

/// Operators of the call center the calls benchmark dials.
const CALL_OPERATORS: usize = 50;
/// Callers at once in the concurrent calls measurement.
pub const CALLERS: usize = 8;

/// One calls-per-second figure.
pub struct CallRate {
    pub callers: usize,
    pub calls: usize,
    pub elapsed: Duration,
    /// Per call (dial to hung up), sorted.
    pub samples: Vec<Duration>,
}

impl CallRate {
    pub fn per_second(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.samples.len() as f64) * p).ceil() as usize;
        self.samples[rank.clamp(1, self.samples.len()) - 1]
    }
}

/// A call center of [`CALL_OPERATORS`] operators, made through the domain, whose devices
/// answer at once, with a number; answers the number.
pub(crate) async fn setup(bench: &Bench) -> anyhow::Result<String> {
    let group = bench.call_center("Calls bench").await?;
    bench
        .set_strategy(group, RoutingStrategy::LongestIdle)
        .await?;
    let t = bench.core.telephony();
    for n in 0..CALL_OPERATORS {
        let user = t
            .create_directory_user(
                &bench.actor,
                NewDirectoryUser {
                    company_id: bench.company(),
                    email: format!("agent{n}@calls.bench.example"),
                    first_name: Some("Agent".into()),
                    last_name: Some(n.to_string()),
                    office_id: None,
                    license: None,
                    auto_assign: false,
                },
            )
            .await?;
        let id = user.user.id;
        t.add_operator(
            &bench.actor,
            GroupKind::CallCenter,
            group,
            id,
            OperatorRole::Operator,
            100,
        )
        .await?;
        bench
            .core
            .calls()
            .set_auto_answer(bench.company(), id, true)
            .await?;
    }
    let target = Target {
        kind: TargetKind::CallCenter,
        id: group.0,
    };
    let number = t
        .assign_number(&bench.actor, target, Pick::AreaCode("646".into()), true)
        .await?;
    Ok(number.number)
}

/// Inbound calls answered and hung up, by `callers` callers at once, for `seconds`.
pub(crate) async fn rate(
    bench: &Bench,
    number: &str,
    callers: usize,
    seconds: Duration,
) -> anyhow::Result<CallRate> {
    let started = Instant::now();
    let deadline = started + seconds;
    let mut tasks = Vec::with_capacity(callers);
    for caller in 0..callers {
        let (core, company, to) = (bench.core.clone(), bench.company(), number.to_owned());
        tasks.push(tokio::spawn(async move {
            let from = format!("+1212555{:04}", 100 + caller);
            let mut samples = Vec::new();
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let call = InboundCall {
                    from: from.clone(),
                    to: to.clone(),
                };
                let mut leg = core.calls().inbound(company, call).await?;
                // The simulator's answers are applied by whichever use case drains its events
                // next: with several callers, another caller's may apply this one's.
                let waited = Instant::now();
                while leg.state == CallState::Ringing && waited.elapsed() < Duration::from_secs(1) {
                    tokio::time::sleep(Duration::from_micros(200)).await;
                    leg = core.calls().call(company, leg.id).await?;
                }
                if leg.state != CallState::Connected {
                    bail!(
                        "an inbound call was {} rather than answered",
                        leg.state.as_str()
                    );
                }
                let ended = core
                    .calls()
                    .hang_up(company, leg.id, Side::External)
                    .await?;
                if ended.state != CallState::Hangup || ended.outcome != Some(Outcome::Answered) {
                    bail!(
                        "a call ended as {} rather than hung up after an answer",
                        ended.state.as_str()
                    );
                }
                samples.push(t0.elapsed());
            }
            Ok::<_, anyhow::Error>(samples)
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await??);
    }
    let elapsed = started.elapsed();
    samples.sort_unstable();
    Ok(CallRate {
        callers,
        calls: samples.len(),
        elapsed,
        samples,
    })
}
