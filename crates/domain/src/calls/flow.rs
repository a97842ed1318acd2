//! Where an inbound call goes: to a user's devices, to an office's main-line operators, to a
//! group's operators as the routing engine orders them, into the group's hold queue, or to the
//! group's fallback (voicemail, another target).

use jiff::Timestamp;
use serde_json::json;

use crate::calls::control::{after, save};
use crate::calls::leg::{Breadcrumb, CallLeg, CallState, Party, PartyKind};
use crate::calls::store::{CandidateOrder, OperatorRow};
use crate::calls::timer::{Timer, TimerKind};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{GroupId, OfficeId, UserId};
use crate::routing::{self, OperatorView};
use crate::store::WriteTx;
use crate::telephony::group::{Group, RoutingStrategy};
use crate::telephony::people::do_not_disturb;
use crate::Result;

/// How long a call to a user rings before it goes to voicemail.
pub const DIRECT_RING_SECONDS: u32 = 30;
/// How many times a call may be passed on to another target (fallbacks of fallbacks).
const MAX_HOPS: u8 = 4;
/// Main-line operators rung at once for an office.
const MAX_OFFICE_RING: usize = 50;

impl Calls<'_> {
    /// Routes a new (or passed-on) entry leg to `target`.
    pub(crate) async fn route(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        target: Party,
        hops: u8,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        if hops > MAX_HOPS {
            step.voicemail(entry, now);
            return save(tx, entry, before, now).await;
        }
        entry.target = Some(target);
        match target.kind {
            PartyKind::User => {
                self.ring_user(tx, entry, UserId(target.id), step, now)
                    .await
            }
            PartyKind::Office => {
                self.ring_office(tx, entry, OfficeId(target.id), step, now)
                    .await
            }
            PartyKind::CallCenter | PartyKind::Department => {
                entry.group_id = Some(GroupId(target.id));
                if !self.offer(tx, entry, step, now).await? {
                    self.carry_on(tx, entry, step, now).await?;
                }
                save(tx, entry, before, now).await
            }
            PartyKind::CallRouter => self.ask_router(tx, entry, target.id, hops, step, now).await,
            PartyKind::AiAgent => {
                step.voicemail(entry, now);
                save(tx, entry, before, now).await
            }
        }
    }

    /// A call to a user rings their devices on the entry leg itself, unless they are on
    /// another call (then voicemail).
    async fn ring_user(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        user: UserId,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        let known = self.store.directory_user(entry.company_id, user).await?;
        if known.is_some()
            && tx
                .claim_operator(entry.company_id, user, entry.id, now)
                .await?
        {
            entry.user_id = Some(user);
            entry.state = CallState::Ringing;
            let due = after(now, DIRECT_RING_SECONDS);
            let timer = Timer::new(
                entry.company_id,
                TimerKind::RingTimeout,
                Some(entry.id),
                None,
                due,
            );
            tx.insert_timer(&timer).await?;
            step.effects.push(Effect::Ring {
                company: entry.company_id,
                entry: entry.id,
                leg: entry.id,
                user,
            });
        } else {
            step.voicemail(entry, now);
        }
        save(tx, entry, before, now).await
    }

    /// An office's main line rings its main-line operators who are free, all at once.
    async fn ring_office(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        office: OfficeId,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        entry.office_id = Some(office);
        let mut operators = self.store.office_operators(office).await?;
        operators.truncate(MAX_OFFICE_RING);
        operators.sort_by_key(|(op, _)| op.user_id);
        let mut rung = 0;
        for (op, _) in &operators {
            if self
                .ring_operator(tx, entry, op.user_id, DIRECT_RING_SECONDS, step, now)
                .await?
            {
                rung += 1;
            }
        }
        if rung == 0 {
            step.voicemail(entry, now);
        }
        save(tx, entry, before, now).await
    }

    /// Rings one operator for the entry leg on a leg of their own; `false` when they hold a
    /// call already.
    async fn ring_operator(
        &self,
        tx: &mut dyn WriteTx,
        entry: &CallLeg,
        user: UserId,
        ring_seconds: u32,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<bool> {
        let leg = CallLeg::operator(entry, user, now);
        if !tx
            .claim_operator(entry.company_id, user, leg.id, now)
            .await?
        {
            return Ok(false);
        }
        tx.insert_call_leg(&leg).await?;
        event::record(tx, &leg, now).await?;
        tx.operator_offered(entry.company_id, user, now).await?;
        let due = after(now, ring_seconds);
        let timer = Timer::new(
            entry.company_id,
            TimerKind::RingTimeout,
            Some(leg.id),
            None,
            due,
        );
        tx.insert_timer(&timer).await?;
        step.effects.push(Effect::Ring {
            company: entry.company_id,
            entry: entry.id,
            leg: leg.id,
            user,
        });
        Ok(true)
    }

    /// Offers a group's call to the operators the engine picks; `true` when someone rings.
    pub(crate) async fn offer(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<bool> {
        let Some(planned) = self.plan_for(tx, entry, now).await? else {
            return Ok(false);
        };
        let (group, plan) = planned;
        let ai: Vec<UserId> = self
            .ai_views(group.id)
            .await?
            .iter()
            .map(|v| v.user_id)
            .collect();
        for wave in &plan.ring {
            // An AI operator in the wave answers at once; nobody else need ring.
            if let Some(agent) = wave.user_ids.iter().find(|u| ai.contains(u)) {
                let agent = crate::ids::AgentId(agent.0);
                entry
                    .breadcrumbs
                    .push(engine_crumb(now, &group, &plan, Some(&wave.user_ids)));
                if self.ai_answers(tx, entry, agent, step, now).await? {
                    return Ok(true);
                }
                continue;
            }
            let mut rung = 0;
            // Claims in user order, the same in every transaction.
            let mut users = wave.user_ids.clone();
            users.sort();
            for user in &users {
                if self
                    .ring_operator(tx, entry, *user, wave.ring_seconds, step, now)
                    .await?
                {
                    rung += 1;
                }
            }
            if rung > 0 {
                entry
                    .breadcrumbs
                    .push(engine_crumb(now, &group, &plan, Some(&wave.user_ids)));
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// What the engine says for the entry leg's group now; `None` when the group is gone.
    pub(crate) async fn plan_for(
        &self,
        tx: &mut dyn WriteTx,
        entry: &CallLeg,
        now: Timestamp,
    ) -> Result<Option<(Group, routing::Plan)>> {
        let Some((group, tz)) = self
            .group_with_zone(entry.company_id, entry.group_id)
            .await?
        else {
            return Ok(None);
        };
        let settings = &group.settings;
        let open = routing::openness(settings, &tz, now).open;
        let route = if open {
            &settings.routing.open
        } else {
            &settings.routing.closed
        };
        // Operators already rung for this call are passed over: fetch as many more.
        let tried: Vec<UserId> = tx
            .operator_legs_for_update(entry.id)
            .await?
            .iter()
            .filter_map(|l| l.user_id)
            .collect();
        let seed = entry.id.0 as u64 ^ now.as_millisecond() as u64;
        let rows = tx
            .routing_candidates(
                group.id,
                candidate_order(route.strategy, seed),
                routing::candidate_limit(tried.len()),
            )
            .await?;
        let mut candidates = self.operator_views(&rows, now).await?;
        candidates.extend(self.ai_views(group.id).await?);
        let queued_self = u32::from(entry.state == CallState::Queued);
        let waiting = tx.queue_length(group.id).await?.saturating_sub(queued_self);
        let any_on_duty = tx.any_on_duty(group.id).await?;
        let input = routing::PlanInput {
            settings,
            tz: &tz,
            candidates: &candidates,
            tried: &tried,
            seed,
            waiting,
            any_on_duty,
        };
        let plan = routing::plan(&input, now);
        Ok(Some((group.clone(), plan)))
    }

    /// The engine's view of operators: their rows with do-not-disturb from presence.
    pub(crate) async fn operator_views(
        &self,
        rows: &[OperatorRow],
        now: Timestamp,
    ) -> Result<Vec<OperatorView>> {
        let ids: Vec<UserId> = rows.iter().map(|r| r.user_id).collect();
        let presences = self.store.presences(&ids).await?;
        Ok(rows
            .iter()
            .map(|r| OperatorView {
                user_id: r.user_id,
                on_duty: r.on_duty,
                duty_state: r.duty_state,
                do_not_disturb: presences
                    .iter()
                    .find(|p| p.user_id == r.user_id)
                    .is_some_and(|p| do_not_disturb(&p.at(now))),
                active_calls: r.active_calls,
                capacity: 1,
                wrap_up_until: r.wrap_up_until,
                idle_since: r.idle_since,
                last_offered_at: r.last_offered_at,
                skill_level: r.skill_level,
                position: r.position,
                is_ai: false,
            })
            .collect())
    }

    /// Nobody rings for the entry leg now: it rings the next operator the engine picks, waits
    /// in the queue, or goes to the group's fallback.
    pub(crate) async fn carry_on(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        let ringing = tx
            .operator_legs_for_update(entry.id)
            .await?
            .iter()
            .any(|l| l.state == CallState::Ringing);
        if ringing || self.offer(tx, entry, step, now).await? {
            return save(tx, entry, before, now).await;
        }
        let Some((group, plan)) = self.plan_for(tx, entry, now).await? else {
            step.voicemail(entry, now);
            return save(tx, entry, before, now).await;
        };
        entry
            .breadcrumbs
            .push(engine_crumb(now, &group, &plan, None));
        match plan.then {
            routing::Next::Queue => {
                if entry.state != CallState::Queued {
                    entry.state = CallState::Queued;
                    entry.date_queued = Some(now);
                    tx.enqueue(entry.company_id, entry.id, group.id, now)
                        .await?;
                    let q = &group.settings.hold_queue;
                    let first = q.announcement_interval_seconds.min(q.max_hold_seconds);
                    let timer = Timer::new(
                        entry.company_id,
                        TimerKind::QueueTick,
                        Some(entry.id),
                        None,
                        after(now, first),
                    );
                    tx.insert_timer(&timer).await?;
                }
                save(tx, entry, before, now).await
            }
            routing::Next::Overflow { action, target, .. }
            | routing::Next::Action { action, target, .. } => {
                tx.dequeue(entry.id).await?;
                tx.drop_timers_of(entry.id).await?;
                self.act(tx, entry, &action, target, 0, step, now).await
            }
        }
    }
}

/// The store's index order for a strategy (`seed` picks the random starting point).
fn candidate_order(strategy: RoutingStrategy, seed: u64) -> CandidateOrder {
    match routing::candidate_order(strategy) {
        routing::CandidateOrder::Position => CandidateOrder::Position,
        routing::CandidateOrder::IdleSince => CandidateOrder::IdleSince,
        routing::CandidateOrder::SkillDesc => CandidateOrder::SkillDesc,
        routing::CandidateOrder::LastOfferedAsc => CandidateOrder::LastOfferedAsc,
        routing::CandidateOrder::RandomKey => {
            CandidateOrder::RandomFrom((routing::random_key(seed, UserId(0)) % (1u64 << 53)) as i64)
        }
    }
}

/// The engine's decision as a breadcrumb of the call.
fn engine_crumb(
    now: Timestamp,
    group: &Group,
    plan: &routing::Plan,
    rung: Option<&Vec<UserId>>,
) -> Breadcrumb {
    let response = match rung {
        Some(users) => json!({
            "open": plan.openness.open,
            "why": plan.openness.why,
            "ring": users.iter().map(|u| u.0).collect::<Vec<_>>(),
        }),
        None => json!({
            "open": plan.openness.open,
            "why": plan.openness.why,
            "then": format!("{:?}", plan.then),
        }),
    };
    Breadcrumb {
        breadcrumb_type: "engine".into(),
        date: now.as_millisecond(),
        request: json!({"group_id": group.id.0, "kind": group.kind.as_str()}),
        response,
        target_id: Some(group.id.0),
        target_type: Some(group.kind.as_str().into()),
        url: None,
    }
}
