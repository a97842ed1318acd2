//! Reading this context's rows into domain entities.

use serde_json::Value;
use sqlx::any::AnyRow;
use switchboard_domain::ai_agents::agent::{AgentVersion, AiAgent, Right, Share, VersionAction};
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::*;
use switchboard_domain::{DomainError, Result};

use crate::rows::{get, json, object};

pub(crate) fn agent(row: &AnyRow) -> Result<AiAgent> {
    let phone_numbers = match json(row, "phone_numbers")? {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    Ok(AiAgent {
        id: AgentId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        owner_id: UserId(get(row, "owner_id")?),
        name: get(row, "name")?,
        settings: object(row, "settings")?,
        phone_numbers,
        metadata: object(row, "metadata")?,
        extra: object(row, "extra")?,
        revision: get(row, "revision")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) fn version(row: &AnyRow) -> Result<AgentVersion> {
    let action: String = get(row, "action")?;
    Ok(AgentVersion {
        id: VersionId(get(row, "id")?),
        agent_id: AgentId(get(row, "agent_id")?),
        number: get(row, "number")?,
        action: VersionAction::parse(&action)
            .ok_or_else(|| DomainError::internal("unknown version action"))?,
        commit_message: get(row, "commit_message")?,
        updates: json(row, "updates")?,
        snapshot: json(row, "snapshot")?,
        author_id: UserId(get(row, "author_id")?),
        author_name: get(row, "author_name")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

/// Reads the share columns (prefixed `share_` when joined).
pub(crate) fn share(row: &AnyRow, prefix: &str) -> Result<Option<Share>> {
    let Some(user_id) = get::<Option<i64>>(row, &format!("{prefix}user_id"))? else {
        return Ok(None);
    };
    let rights_text: String = get(row, &format!("{prefix}rights"))?;
    let rights = rights_text
        .split(',')
        .filter(|s| !s.is_empty())
        .map(Right::parse)
        .collect::<Result<Vec<_>>>()
        .map_err(DomainError::internal)?;
    Ok(Some(Share {
        agent_id: AgentId(get(row, &format!("{prefix}agent_id"))?),
        user_id: UserId(user_id),
        rights,
        shared_by: UserId(get(row, &format!("{prefix}shared_by"))?),
        shared_at: from_millis(get(row, &format!("{prefix}shared_at"))?),
    }))
}

/// The stored form of a rights list.
pub(crate) fn rights_text(rights: &[Right]) -> String {
    rights
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}
