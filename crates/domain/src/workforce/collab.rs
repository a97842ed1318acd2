//! What the contact center organises agents with: teams, skills, capacity rules and the
//! workload measured against them.

use jiff::Timestamp;

use crate::ids::{CapacityRuleId, CompanyId, SkillId, SkillValueId, TeamId, UserId, WorkItemId};
use crate::workforce::presence::string_enum;
use crate::{DomainError, Result};

/// A team of users in a company.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: TeamId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: String,
    /// `public` or `private`.
    pub visibility: String,
    /// `open`, `request-to-join` or `invite-only`.
    pub accessibility: String,
    pub hide_from_views: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A team with its member counts, as reads show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamInfo {
    pub team: Team,
    pub active_member_count: i64,
    pub pending_member_count: i64,
    /// Up to five members, oldest first.
    pub featured_members: Vec<UserId>,
}

/// A user's membership of a team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMember {
    pub team_id: TeamId,
    pub user_id: UserId,
    /// `active`, `invited` or `requested-to-join`.
    pub status: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A team an agent belongs to, for the agent read.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMembership {
    pub team: TeamInfo,
    pub member_since: Timestamp,
}

string_enum!(
    /// How many values of a skill an agent may hold.
    SkillValueType { Single = "single", Multiple = "multiple", Boolean = "boolean" }
);

/// One value of a skill (a language, a level, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct SkillValue {
    pub id: SkillValueId,
    pub value: String,
    pub icon: String,
    pub created_at: i64,
}

/// A skill agents can be given.
#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    pub id: SkillId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: String,
    pub value_type: SkillValueType,
    pub values: Vec<SkillValue>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A skill given to an agent, with the values selected (stored form).
#[derive(Debug, Clone, PartialEq)]
pub struct AgentSkill {
    pub user_id: UserId,
    pub skill_id: SkillId,
    pub selected: Vec<SkillValueId>,
}

/// A skill given to an agent, for the agent read.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignedSkill {
    pub skill: Skill,
    pub selected: Vec<SkillValue>,
}

impl Skill {
    /// Checks that `selected` names values of this skill, as many as its type allows.
    pub fn check_selection(&self, selected: &[SkillValueId]) -> Result<()> {
        if self.value_type != SkillValueType::Multiple && selected.len() > 1 {
            return Err(DomainError::invalid(format!(
                "skill '{}' takes a single value",
                self.name
            )));
        }
        for id in selected {
            if !self.values.iter().any(|v| v.id == *id) {
                return Err(DomainError::invalid(format!(
                    "skill '{}' has no such value",
                    self.name
                )));
            }
        }
        Ok(())
    }
}

/// How much work of each channel an agent may hold at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelLoad {
    pub messaging: i64,
    pub email: i64,
}

/// A capacity rule; the company's default rule applies to agents without one.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRule {
    pub id: CapacityRuleId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub capacity: ChannelLoad,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A rule with the agents assigned to it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleWithAgents {
    pub rule: CapacityRule,
    pub agents: Vec<UserId>,
}

/// An agent's current load per channel and the rule it is measured against.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadView {
    pub user_id: UserId,
    pub load: ChannelLoad,
    /// Calls the agent rings for or talks on now.
    pub calls: i64,
    /// When a call was last given to the agent.
    pub last_assigned_at: Option<Timestamp>,
    pub rule: Option<RuleWithAgents>,
    pub updated_at: Timestamp,
}

impl WorkloadView {
    /// Whether the agent can take one more item of `channel` (`messaging` or `email`); with no
    /// rule there is no limit.
    pub fn has_room(&self, email: bool) -> bool {
        let Some(r) = &self.rule else { return true };
        if email {
            self.load.email < r.rule.capacity.email
        } else {
            self.load.messaging < r.rule.capacity.messaging
        }
    }
}

string_enum!(
    /// The channel of a work item; each counts against its own capacity.
    WorkChannel { Messaging = "messaging", Email = "email" }
);

/// A conversation or email assigned to an agent; open while `closed_at` is unset.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    pub id: WorkItemId,
    pub user_id: UserId,
    pub channel: WorkChannel,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}
