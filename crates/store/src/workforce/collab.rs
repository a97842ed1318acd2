//! Skills and their assignment, capacity rules and their agents.

use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::*;
use switchboard_domain::workforce::collab::{
    AgentSkill, CapacityRule, RuleWithAgents, Skill, SkillValue, SkillValueType,
};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{get, to_text};

fn values_to_text(values: &[SkillValue]) -> String {
    let list: Vec<Value> = values
        .iter()
        .map(|v| json!({"id": v.id.0, "value": v.value, "icon": v.icon, "createdAt": v.created_at}))
        .collect();
    to_text(&list)
}

pub(crate) fn skill(row: &AnyRow) -> Result<Skill> {
    let text: String = get(row, "skill_values")?;
    let list: Vec<Value> = serde_json::from_str(&text).map_err(DomainError::internal)?;
    let values = list
        .iter()
        .map(|v| SkillValue {
            id: SkillValueId(v["id"].as_i64().unwrap_or_default()),
            value: v["value"].as_str().unwrap_or_default().to_owned(),
            icon: v["icon"].as_str().unwrap_or_default().to_owned(),
            created_at: v["createdAt"].as_i64().unwrap_or_default(),
        })
        .collect();
    let vt: String = get(row, "value_type")?;
    Ok(Skill {
        id: SkillId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        value_type: SkillValueType::parse(&vt)
            .ok_or_else(|| DomainError::internal(format!("stored value type {vt}")))?,
        values,
        created_by: UserId(get(row, "created_by")?),
        updated_by: UserId(get(row, "updated_by")?),
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn skill_by_id(c: &mut AnyConnection, id: SkillId) -> Result<Option<Skill>> {
    crate::sql::by_id(c, "skills", id.0, None, skill).await
}

pub(crate) async fn insert_skill(c: &mut AnyConnection, s: &Skill) -> Result<()> {
    sqlx::query(
        "INSERT INTO skills (id, company_id, name, description, value_type, skill_values, created_by, \
         updated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(s.id.0)
    .bind(s.company_id.0)
    .bind(&s.name)
    .bind(&s.description)
    .bind(s.value_type.as_str())
    .bind(values_to_text(&s.values))
    .bind(s.created_by.0)
    .bind(s.updated_by.0)
    .bind(to_millis(s.created_at))
    .bind(to_millis(s.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_skill(c: &mut AnyConnection, s: &Skill) -> Result<()> {
    sqlx::query(
        "UPDATE skills SET name = $1, description = $2, value_type = $3, skill_values = $4, updated_by = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&s.name)
    .bind(&s.description)
    .bind(s.value_type.as_str())
    .bind(values_to_text(&s.values))
    .bind(s.updated_by.0)
    .bind(to_millis(s.updated_at))
    .bind(s.id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_skill(c: &mut AnyConnection, id: SkillId) -> Result<()> {
    crate::sql::run_with_id(
        c,
        &[
            "DELETE FROM agent_skills WHERE skill_id = $1",
            "DELETE FROM skills WHERE id = $1",
        ],
        id.0,
    )
    .await?;
    Ok(())
}

pub(crate) async fn set_agent_skills(
    c: &mut AnyConnection,
    user: UserId,
    skills: &[AgentSkill],
) -> Result<()> {
    sqlx::query("DELETE FROM agent_skills WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for s in skills {
        let ids: Vec<i64> = s.selected.iter().map(|v| v.0).collect();
        sqlx::query(
            "INSERT INTO agent_skills (user_id, skill_id, selected_value_ids) VALUES ($1, $2, $3)",
        )
        .bind(user.0)
        .bind(s.skill_id.0)
        .bind(to_text(&ids))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    }
    Ok(())
}

pub(crate) async fn capacity_rule(
    c: &mut AnyConnection,
    id: CapacityRuleId,
) -> Result<Option<RuleWithAgents>> {
    let row = sqlx::query("SELECT * FROM capacity_rules WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?;
    match row {
        Some(r) => Ok(super::collab_pages::rules_with_agents(c, &[r]).await?.pop()),
        None => Ok(None),
    }
}

pub(crate) async fn agent_rule_id(
    c: &mut AnyConnection,
    user: UserId,
) -> Result<Option<CapacityRuleId>> {
    let row = sqlx::query("SELECT rule_id FROM capacity_rule_agents WHERE user_id = $1")
        .bind(user.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.map(|r| get::<i64>(&r, "rule_id").map(CapacityRuleId))
        .transpose()
}

pub(crate) async fn insert_capacity_rule(c: &mut AnyConnection, r: &CapacityRule) -> Result<()> {
    sqlx::query(
        "INSERT INTO capacity_rules (id, company_id, name, description, is_default, messaging, email, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.id.0)
    .bind(r.company_id.0)
    .bind(&r.name)
    .bind(&r.description)
    .bind(r.is_default)
    .bind(r.capacity.messaging)
    .bind(r.capacity.email)
    .bind(to_millis(r.created_at))
    .bind(to_millis(r.updated_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn update_capacity_rule(c: &mut AnyConnection, r: &CapacityRule) -> Result<()> {
    sqlx::query(
        "UPDATE capacity_rules SET name = $1, description = $2, is_default = $3, messaging = $4, email = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&r.name)
    .bind(&r.description)
    .bind(r.is_default)
    .bind(r.capacity.messaging)
    .bind(r.capacity.email)
    .bind(to_millis(r.updated_at))
    .bind(r.id.0)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn delete_capacity_rule(c: &mut AnyConnection, id: CapacityRuleId) -> Result<()> {
    crate::sql::run_with_id(
        c,
        &[
            "DELETE FROM capacity_rule_agents WHERE rule_id = $1",
            "DELETE FROM capacity_rules WHERE id = $1",
        ],
        id.0,
    )
    .await?;
    Ok(())
}

pub(crate) async fn set_rule_agents(
    c: &mut AnyConnection,
    rule: CapacityRuleId,
    users: &[UserId],
) -> Result<()> {
    sqlx::query("DELETE FROM capacity_rule_agents WHERE rule_id = $1")
        .bind(rule.0)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for u in users {
        sqlx::query("DELETE FROM capacity_rule_agents WHERE user_id = $1")
            .bind(u.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
        sqlx::query("INSERT INTO capacity_rule_agents (user_id, rule_id) VALUES ($1, $2)")
            .bind(u.0)
            .bind(rule.0)
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    Ok(())
}
