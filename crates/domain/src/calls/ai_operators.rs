//! AI agents as operators: a Dialgood/Callin agent of the company can operate a call center or
//! department beside its people. The routing engine sees it as an operator that is always on
//! duty, never on do-not-disturb and never at capacity; when the engine offers it a call it
//! answers at once (the simulator has the agent's voice), on a leg of its own that records
//! the agent and the version that handled the call — the call then shows in the agent's call
//! logs.

use jiff::Timestamp;

use crate::calls::leg::{CallLeg, CallState, Party, PartyKind};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{AgentId, GroupId, UserId};
use crate::routing::OperatorView;
use crate::store::WriteTx;
use crate::telephony::changelog::Actor;
use crate::telephony::group::DutyState;
use crate::{DomainError, Result};

/// AI operators a group may have.
pub const MAX_AI_OPERATORS: usize = 50;

impl Calls<'_> {
    async fn check_ai_pair(&self, actor: &Actor, group: GroupId, agent: AgentId) -> Result<()> {
        self.store
            .group(actor.company, group)
            .await?
            .ok_or(DomainError::NotFound("call center"))?;
        self.store
            .agent(agent)
            .await?
            .filter(|a| a.company_id == actor.company)
            .ok_or(DomainError::NotFound("AI agent"))?;
        Ok(())
    }

    /// Makes the company's AI agent an operator of the group (nothing changes when it is one).
    pub async fn add_ai_operator(
        &self,
        actor: &Actor,
        group: GroupId,
        agent: AgentId,
    ) -> Result<Vec<AgentId>> {
        self.check_ai_pair(actor, group, agent).await?;
        if self.store.ai_members(group, MAX_AI_OPERATORS).await?.len() >= MAX_AI_OPERATORS {
            return Err(DomainError::invalid(format!(
                "a group has at most {MAX_AI_OPERATORS} AI operators"
            )));
        }
        let mut tx = self.store.begin().await?;
        tx.add_ai_member(actor.company, group, agent, self.clock.now())
            .await?;
        tx.commit().await?;
        self.ai_operators(actor.company, group).await
    }

    /// The AI agent stops operating the group.
    pub async fn remove_ai_operator(
        &self,
        actor: &Actor,
        group: GroupId,
        agent: AgentId,
    ) -> Result<Vec<AgentId>> {
        self.check_ai_pair(actor, group, agent).await?;
        let mut tx = self.store.begin().await?;
        if !tx.remove_ai_member(group, agent).await? {
            return Err(DomainError::NotFound("AI operator"));
        }
        tx.commit().await?;
        self.ai_operators(actor.company, group).await
    }

    /// The group's AI operators in the order they joined.
    pub async fn ai_operators(
        &self,
        company: crate::ids::CompanyId,
        group: GroupId,
    ) -> Result<Vec<AgentId>> {
        self.store
            .group(company, group)
            .await?
            .ok_or(DomainError::NotFound("call center"))?;
        Ok(self
            .store
            .ai_members(group, MAX_AI_OPERATORS)
            .await?
            .into_iter()
            .map(|(a, _)| a)
            .collect())
    }

    /// The group's AI operators as the engine sees them (their id in `user_id`, `is_ai`).
    pub(crate) async fn ai_views(&self, group: GroupId) -> Result<Vec<OperatorView>> {
        Ok(self
            .store
            .ai_members(group, MAX_AI_OPERATORS)
            .await?
            .into_iter()
            .map(|(agent, added)| OperatorView {
                user_id: UserId(agent.0),
                on_duty: true,
                duty_state: DutyState::Available,
                do_not_disturb: false,
                active_calls: 0,
                capacity: u32::MAX,
                wrap_up_until: None,
                idle_since: Timestamp::UNIX_EPOCH,
                last_offered_at: None,
                skill_level: 100,
                position: added.as_millisecond(),
                is_ai: true,
            })
            .collect())
    }

    /// The AI agent answers the entry leg at once on a leg of its own; the caller saves the
    /// entry leg.
    pub(crate) async fn ai_answers(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        agent: AgentId,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<bool> {
        let Some(found) = self.store.agent(agent).await? else {
            return Ok(false);
        };
        let mut leg = CallLeg::operator(entry, UserId(0), now);
        leg.user_id = None;
        leg.target = Some(Party {
            kind: PartyKind::AiAgent,
            id: agent.0,
        });
        leg.ai_agent_version = Some(found.revision);
        leg.state = CallState::Connected;
        leg.date_connected = Some(now);
        tx.insert_call_leg(&leg).await?;
        event::record(tx, &leg, now).await?;
        // The caller saves the entry leg (and records its change of state).
        entry.state = CallState::Connected;
        entry.date_connected = Some(now);
        entry.operator_call_id = Some(leg.id);
        entry.ai_agent_version = Some(found.revision);
        tx.dequeue(entry.id).await?;
        tx.drop_timers_of(entry.id).await?;
        step.effects.push(Effect::Bridge {
            entry: entry.id,
            operator: leg.id,
        });
        Ok(true)
    }
}
