//! Assembling agents as the dialects show them: profile, presence, teams, skills and workload
//! (work items per channel, and the calls the agent holds), a constant number of reads for any
//! number of agents.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::ids::{CapacityRuleId, CompanyId, SkillId, UserId};
use crate::tenancy::account::User;
use crate::workforce::collab::{
    AssignedSkill, ChannelLoad, RuleWithAgents, Skill, TeamMembership, WorkloadView,
};
use crate::workforce::presence::Presence;
use crate::workforce::profile::{AgentProfile, HumanAgent};
use crate::workforce::Workforce;
use crate::Result;

use super::agents::agent_not_found;

impl Workforce<'_> {
    /// The read of one agent of the company, as lists show it.
    pub(super) async fn assemble(&self, company: CompanyId, id: UserId) -> Result<HumanAgent> {
        self.assemble_many(company, &[id])
            .await?
            .pop()
            .ok_or_else(agent_not_found)
    }

    /// The reads of these agents, in this order, from a constant number of queries.
    pub(super) async fn assemble_many(
        &self,
        company: CompanyId,
        ids: &[UserId],
    ) -> Result<Vec<HumanAgent>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.clock.now();
        let rows = self.store.agent_rows(company, ids).await?;
        let mut users: HashMap<UserId, User> = rows.users.into_iter().map(|u| (u.id, u)).collect();
        let mut profiles: HashMap<UserId, AgentProfile> =
            rows.profiles.into_iter().map(|p| (p.user_id, p)).collect();
        let mut presences: HashMap<UserId, Presence> =
            rows.presences.into_iter().map(|p| (p.user_id, p)).collect();
        let mut teams: HashMap<UserId, Vec<TeamMembership>> = HashMap::new();
        for (user, m) in rows.teams {
            teams.entry(user).or_default().push(m);
        }
        let defs: HashMap<SkillId, Skill> =
            rows.skill_defs.into_iter().map(|s| (s.id, s)).collect();
        let mut skills: HashMap<UserId, Vec<AssignedSkill>> = HashMap::new();
        for given in rows.skills {
            if let Some(skill) = defs.get(&given.skill_id) {
                let selected = skill
                    .values
                    .iter()
                    .filter(|v| given.selected.contains(&v.id))
                    .cloned()
                    .collect();
                skills
                    .entry(given.user_id)
                    .or_default()
                    .push(AssignedSkill {
                        skill: skill.clone(),
                        selected,
                    });
            }
        }
        let load: HashMap<UserId, ChannelLoad> = rows.load.into_iter().collect();
        // Calls are the calls context's fact: what each agent holds now, when last given one.
        let calls: HashMap<UserId, (i64, Option<Timestamp>)> = self
            .store
            .call_activity(ids)
            .await?
            .into_iter()
            .map(|a| (a.user_id, (i64::from(a.active_calls), a.last_offered_at)))
            .collect();
        let rule_of: HashMap<UserId, CapacityRuleId> = rows.rules.into_iter().collect();
        let default_rule = rows.rule_defs.iter().find(|r| r.rule.is_default).cloned();
        let rules: HashMap<CapacityRuleId, RuleWithAgents> =
            rows.rule_defs.into_iter().map(|r| (r.rule.id, r)).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(user) = users.remove(id) else {
                continue;
            };
            let profile = profiles
                .remove(id)
                .unwrap_or_else(|| AgentProfile::blank(&user));
            let presence = presences
                .remove(id)
                .unwrap_or_else(|| Presence::initial(user.id, user.created_at))
                .at(now);
            let rule = rule_of
                .get(id)
                .and_then(|r| rules.get(r).cloned())
                .or_else(|| default_rule.clone());
            let (calls, last_assigned_at) = calls.get(id).copied().unwrap_or_default();
            let workload = WorkloadView {
                user_id: user.id,
                load: load.get(id).copied().unwrap_or_default(),
                calls,
                last_assigned_at,
                rule,
                updated_at: now,
            };
            out.push(HumanAgent {
                teams: teams.remove(id).unwrap_or_default(),
                skills: skills.remove(id).unwrap_or_default(),
                user,
                profile,
                presence,
                workload,
            });
        }
        Ok(out)
    }
}
