//! Access-control policies: named sets of permissions an admin grants to users, at the level
//! of the company, or of one office or call center. A deleted policy keeps its record (it can
//! be restored) but loses its assignments. Permission names are the dialect's to check.

use jiff::Timestamp;

use crate::ids::{CompanyId, PolicyId, UserId};
use crate::{DomainError, Result};

/// Longest policy name.
const MAX_NAME: usize = 50;
/// Longest policy description.
const MAX_DESCRIPTION: usize = 200;

/// The level a policy's permissions apply at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyLevel {
    Company,
    Office,
    CallCenter,
}

impl PolicyLevel {
    pub const ALL: [Self; 3] = [Self::Company, Self::Office, Self::CallCenter];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Office => "office",
            Self::CallCenter => "callcenter",
        }
    }

    /// Reads a name; unknown names are invalid input.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown target_type '{s}'")))
    }
}

/// A policy's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyState {
    Active,
    Deleted,
}

impl PolicyState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "active" => Ok(Self::Active),
            "deleted" => Ok(Self::Deleted),
            _ => Err(DomainError::invalid(format!("unknown policy state '{s}'"))),
        }
    }
}

/// A policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: PolicyId,
    pub company_id: CompanyId,
    pub name: String,
    pub description: Option<String>,
    /// The company admin the policy belongs to.
    pub owner_id: UserId,
    pub permissions: Vec<String>,
    pub level: PolicyLevel,
    pub state: PolicyState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Where an assignment applies: the company (its id) or one office or call center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyTarget {
    pub level: PolicyLevel,
    pub id: i64,
}

/// A user given a policy at a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub policy_id: PolicyId,
    pub user_id: UserId,
    pub target: PolicyTarget,
    pub assigned_at: Timestamp,
}

/// A new policy.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    pub name: String,
    pub description: Option<String>,
    pub owner_id: UserId,
    pub permissions: Vec<String>,
    pub level: PolicyLevel,
}

/// A change to a policy: the fields given replace; `restore` makes a deleted policy active.
#[derive(Debug, Clone, Default)]
pub struct PolicyChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub restore: bool,
    /// The admin making the change, when the caller names one.
    pub by: Option<UserId>,
}

/// A policy name: one line of 1 to 50 characters.
pub fn policy_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "name must be one line of 1 to 50 characters",
        ));
    }
    Ok(name.to_owned())
}

/// A description: one line of at most 200 characters; empty clears it.
pub fn policy_description(raw: &str) -> Result<Option<String>> {
    let d = raw.trim();
    if d.chars().count() > MAX_DESCRIPTION || d.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "description must be one line of at most 200 characters",
        ));
    }
    Ok(Some(d.to_owned()).filter(|d| !d.is_empty()))
}

/// A policy's permission names: at least one, repeats dropped.
pub fn permissions(raw: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in raw {
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        return Err(DomainError::invalid(
            "permission_sets must name at least one permission",
        ));
    }
    Ok(out)
}
