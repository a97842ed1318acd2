//! Skills, capacity rules and workload.

use super::{finish, keyset};
use crate::ids::{CapacityRuleId, CompanyId, Id, SkillId, SkillValueId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::tenancy::account::User;
use crate::workforce::collab::{
    CapacityRule, ChannelLoad, RuleWithAgents, Skill, SkillValue, SkillValueType, WorkloadView,
};
use crate::workforce::Workforce;
use crate::{DomainError, Result};

/// A skill to create or the changes to one (`None` leaves a field).
#[derive(Debug, Clone, Default)]
pub struct SkillInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub value_type: Option<SkillValueType>,
    /// `(value, icon)`; on update the whole list is replaced, keeping the ids of values whose
    /// text is unchanged.
    pub values: Option<Vec<(String, String)>>,
}

/// A capacity rule to create or the changes to one (`None` leaves a field).
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_default: Option<bool>,
    pub messaging: Option<i64>,
    pub email: Option<i64>,
    pub agents: Option<Vec<UserId>>,
}

pub(super) fn text(field: &str, v: &str, min: usize, max: usize) -> Result<String> {
    let t = v.trim();
    let n = t.chars().count();
    if n < min || n > max {
        return Err(DomainError::invalid(format!(
            "{field} must be {min} to {max} characters"
        )));
    }
    Ok(t.to_owned())
}

pub(super) fn one_of(field: &str, v: &str, allowed: &[&str]) -> Result<String> {
    if allowed.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(DomainError::invalid(format!(
            "{field} must be one of {}",
            allowed.join(", ")
        )))
    }
}

impl Workforce<'_> {
    /// A skill of the company.
    pub async fn skill_in(&self, company: CompanyId, id: SkillId) -> Result<Skill> {
        self.store
            .skill(id)
            .await?
            .filter(|s| s.company_id == company)
            .ok_or(DomainError::NotFound("skill"))
    }

    /// One page of the company's skills, oldest first.
    pub async fn skill_page(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Skill>> {
        let (key, scope, after) = self
            .open_token::<(i64, i64)>(company, "skills", req)
            .await?;
        let found = self
            .store
            .skill_page(company, keyset(after.as_ref(), req))
            .await?;
        let (items, next) = finish(&key, &scope, found, req.limit, |s| {
            (s.created_at.as_millisecond(), s.id.0)
        });
        Ok(KeysetPaged {
            items,
            total: None,
            next,
        })
    }

    fn skill_values(
        &self,
        old: &[SkillValue],
        values: Vec<(String, String)>,
    ) -> Result<Vec<SkillValue>> {
        if values.len() > 100 {
            return Err(DomainError::invalid("values: at most 100"));
        }
        let now = self.clock.now().as_millisecond();
        let mut out: Vec<SkillValue> = Vec::new();
        for (i, (value, icon)) in values.into_iter().enumerate() {
            let value = text(&format!("values[{i}].value"), &value, 1, 100)?;
            if out.iter().any(|v| v.value == value) {
                return Err(DomainError::invalid(format!(
                    "values[{i}].value is repeated"
                )));
            }
            let kept = old.iter().find(|v| v.value == value);
            out.push(SkillValue {
                id: kept.map_or_else(SkillValueId::generate, |v| v.id),
                value,
                icon,
                created_at: kept.map_or(now, |v| v.created_at),
            });
        }
        Ok(out)
    }

    /// Creates a skill; a name the company already uses is a conflict.
    pub async fn create_skill(
        &self,
        company: CompanyId,
        by: UserId,
        input: SkillInput,
    ) -> Result<Skill> {
        let now = self.clock.now();
        let skill = Skill {
            id: SkillId::generate(),
            company_id: company,
            name: text("name", input.name.as_deref().unwrap_or(""), 1, 100)?,
            description: text(
                "description",
                input.description.as_deref().unwrap_or(""),
                0,
                255,
            )?,
            value_type: input
                .value_type
                .ok_or_else(|| DomainError::invalid("valueType is required"))?,
            values: self.skill_values(&[], input.values.unwrap_or_default())?,
            created_by: by,
            updated_by: by,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_skill(&skill).await.map_err(name_taken("skill"))?;
        tx.commit().await?;
        Ok(skill)
    }

    /// Changes a skill.
    pub async fn update_skill(
        &self,
        company: CompanyId,
        id: SkillId,
        by: UserId,
        input: SkillInput,
    ) -> Result<Skill> {
        // Held from before the read until the write commits: concurrent updates merge.
        let mut tx = self.store.begin().await?;
        let mut skill = tx
            .lock_skill(id)
            .await?
            .filter(|s| s.company_id == company)
            .ok_or(DomainError::NotFound("skill"))?;
        if let Some(n) = &input.name {
            skill.name = text("name", n, 1, 100)?;
        }
        if let Some(d) = &input.description {
            skill.description = text("description", d, 0, 255)?;
        }
        if let Some(t) = input.value_type {
            skill.value_type = t;
        }
        if let Some(values) = input.values {
            skill.values = self.skill_values(&skill.values, values)?;
        }
        skill.updated_by = by;
        skill.updated_at = self.clock.now();
        tx.update_skill(&skill).await.map_err(name_taken("skill"))?;
        tx.commit().await?;
        Ok(skill)
    }

    /// Deletes a skill and takes it from every agent.
    pub async fn delete_skill(&self, company: CompanyId, id: SkillId) -> Result<()> {
        self.skill_in(company, id).await?;
        let mut tx = self.store.begin().await?;
        tx.delete_skill(id).await?;
        tx.commit().await
    }

    /// A capacity rule of the company.
    pub async fn capacity_rule_in(
        &self,
        company: CompanyId,
        id: CapacityRuleId,
    ) -> Result<RuleWithAgents> {
        self.store
            .capacity_rule(id)
            .await?
            .filter(|r| r.rule.company_id == company)
            .ok_or(DomainError::NotFound("capacity rule"))
    }

    /// One page of the company's capacity rules, oldest first.
    pub async fn capacity_rule_page(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<RuleWithAgents>> {
        let (key, scope, after) = self
            .open_token::<(i64, i64)>(company, "capacity_rules", req)
            .await?;
        let found = self
            .store
            .capacity_rule_page(company, keyset(after.as_ref(), req))
            .await?;
        let (items, next) = finish(&key, &scope, found, req.limit, |r| {
            (r.rule.created_at.as_millisecond(), r.rule.id.0)
        });
        Ok(KeysetPaged {
            items,
            total: None,
            next,
        })
    }

    async fn apply_rule_input(
        &self,
        company: CompanyId,
        rule: &mut CapacityRule,
        input: &RuleInput,
    ) -> Result<()> {
        if let Some(n) = &input.name {
            rule.name = text("name", n, 1, 255)?;
        }
        if let Some(d) = &input.description {
            rule.description = text("description", d, 1, 255)?;
        }
        if let Some(d) = input.is_default {
            rule.is_default = d;
        }
        for (field, v) in [
            ("capacity.messaging", input.messaging),
            ("capacity.email", input.email),
        ] {
            if let Some(n) = v {
                if !(0..=1000).contains(&n) {
                    return Err(DomainError::invalid(format!("{field} must be 0 to 1000")));
                }
            }
        }
        rule.capacity.messaging = input.messaging.unwrap_or(rule.capacity.messaging);
        rule.capacity.email = input.email.unwrap_or(rule.capacity.email);
        for a in input.agents.iter().flatten() {
            self.company_user(company, *a).await?;
        }
        Ok(())
    }

    /// Creates a capacity rule; a second default rule is a conflict.
    pub async fn create_capacity_rule(
        &self,
        company: CompanyId,
        input: RuleInput,
    ) -> Result<RuleWithAgents> {
        let now = self.clock.now();
        let mut rule = CapacityRule {
            id: CapacityRuleId::generate(),
            company_id: company,
            name: String::new(),
            description: String::new(),
            is_default: false,
            capacity: ChannelLoad::default(),
            created_at: now,
            updated_at: now,
        };
        if input.name.is_none() || input.description.is_none() {
            return Err(DomainError::invalid("name and description are required"));
        }
        self.apply_rule_input(company, &mut rule, &input).await?;
        let mut tx = self.store.begin().await?;
        tx.insert_capacity_rule(&rule)
            .await
            .map_err(default_taken)?;
        tx.set_rule_agents(rule.id, &input.agents.unwrap_or_default())
            .await?;
        tx.commit().await?;
        self.capacity_rule_in(company, rule.id).await
    }

    /// Changes a capacity rule.
    pub async fn update_capacity_rule(
        &self,
        company: CompanyId,
        id: CapacityRuleId,
        input: RuleInput,
    ) -> Result<RuleWithAgents> {
        // Held from before the read until the write commits: concurrent updates merge.
        let mut tx = self.store.begin().await?;
        let mut rule = tx
            .lock_capacity_rule(id)
            .await?
            .filter(|r| r.rule.company_id == company)
            .ok_or(DomainError::NotFound("capacity rule"))?
            .rule;
        self.apply_rule_input(company, &mut rule, &input).await?;
        rule.updated_at = self.clock.now();
        tx.update_capacity_rule(&rule)
            .await
            .map_err(default_taken)?;
        if let Some(agents) = &input.agents {
            tx.set_rule_agents(id, agents).await?;
        }
        tx.commit().await?;
        self.capacity_rule_in(company, id).await
    }

    /// Deletes a capacity rule; its agents fall back to the default rule.
    pub async fn delete_capacity_rule(&self, company: CompanyId, id: CapacityRuleId) -> Result<()> {
        self.capacity_rule_in(company, id).await?;
        let mut tx = self.store.begin().await?;
        tx.delete_capacity_rule(id).await?;
        tx.commit().await
    }

    /// The user's open work per channel, against the assigned rule or else the company's
    /// default rule.
    pub(super) async fn workload_of(&self, user: &User) -> Result<WorkloadView> {
        let load = self.store.open_work(user.id).await?;
        let rule = match self.store.agent_rule_id(user.id).await? {
            Some(id) => self.store.capacity_rule(id).await?,
            None => None,
        };
        let rule = match rule {
            Some(r) => Some(r),
            None => self.store.default_capacity_rule(user.company_id).await?,
        };
        let activity = self.store.call_activity(&[user.id]).await?;
        let activity = activity.first();
        Ok(WorkloadView {
            user_id: user.id,
            load,
            calls: activity.map_or(0, |a| i64::from(a.active_calls)),
            last_assigned_at: activity.and_then(|a| a.last_offered_at),
            rule,
            updated_at: self.clock.now(),
        })
    }

    /// An agent's workload.
    pub async fn agent_workload(&self, company: CompanyId, id: UserId) -> Result<WorkloadView> {
        let (user, _) = self.agent_user(company, id).await?;
        self.workload_of(&user).await
    }
}

fn name_taken(what: &'static str) -> impl Fn(DomainError) -> DomainError {
    move |e| match e {
        DomainError::Conflict(_) => {
            DomainError::Conflict(format!("a {what} with this name exists"))
        }
        other => other,
    }
}

fn default_taken(e: DomainError) -> DomainError {
    match e {
        DomainError::Conflict(_) => {
            DomainError::Conflict("a default capacity rule already exists".into())
        }
        other => other,
    }
}
