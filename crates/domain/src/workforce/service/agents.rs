//! Human agents: the company's users with their agent profiles (Bird's workspace agents).

use std::collections::HashMap;

use crate::ids::{CompanyId, Id, SkillId, SkillValueId, UserId, WorkItemId};
use crate::page::{KeysetPaged, PageRequest};
use crate::store::WriteTx;
use crate::tenancy::account::{Email, User};
use crate::workforce::collab::{AgentSkill, WorkChannel, WorkItem};
use crate::workforce::presence::{Presence, PresenceChange, PresenceStatus};
use crate::workforce::profile::{
    AgentKey, AgentPage, AgentProfile, AgentQuery, AgentSort, AgentSummary, HumanAgent,
    NewHumanAgent, ProfilePatch, FILTERED_TOTAL_CAP, MAX_AGENT_IDS,
};
use crate::workforce::status_event::{self, Source};
use crate::workforce::store::KeysetPage;
use crate::workforce::Workforce;
use crate::{DomainError, Result};

use super::{finish, keyset};

/// The error for an agent outside the company, removed, or missing.
pub(super) fn agent_not_found() -> DomainError {
    DomainError::NotFound("agent")
}

/// Skills to give an agent: each skill with its selected values.
pub type SkillSelection = Vec<(SkillId, Vec<SkillValueId>)>;

impl Workforce<'_> {
    /// A user of `company` who is an agent, with the profile (blank when never written).
    pub(crate) async fn agent_user(
        &self,
        company: CompanyId,
        id: UserId,
    ) -> Result<(User, AgentProfile)> {
        let user = self
            .store
            .user(id)
            .await?
            .filter(|u| u.company_id == company)
            .ok_or_else(agent_not_found)?;
        let profile = self
            .store
            .agent_profile(id)
            .await?
            .unwrap_or_else(|| AgentProfile::blank(&user));
        if profile.removed {
            return Err(agent_not_found());
        }
        Ok((user, profile))
    }

    /// One agent of the company.
    pub async fn human_agent(&self, company: CompanyId, id: UserId) -> Result<HumanAgent> {
        self.agent_user(company, id).await?;
        self.assemble(company, id).await
    }

    /// One page of the company's agents with their minimal fields, in creation order (by id
    /// on ties), after the position `req`'s signed token names: one indexed query for the
    /// page's keys and three for its rows, however large the company.
    pub async fn agent_summary_page(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<AgentSummary>> {
        let (key, scope, after) = self
            .open_token::<AgentKey>(company, "all-agents", req)
            .await?;
        let q = AgentQuery {
            limit: req.limit,
            page_token: None,
            reverse: req.reverse,
            sort: AgentSort::CreatedAt,
            name: None,
            email: None,
            role_ids: Vec::new(),
            statuses: Vec::new(),
            status_since: None,
            status_upto: None,
            ids: None,
        };
        let now = self.clock.now();
        let keys = self
            .store
            .agent_keys(company, &q, keyset(after.as_ref(), req), now)
            .await?;
        let (keys, next) = finish(&key, &scope, keys, req.limit, AgentKey::clone);
        let ids: Vec<UserId> = keys.iter().map(|k| UserId(k.user_id)).collect();
        let rows = self.store.agent_brief_rows(company, &ids).await?;
        let mut users: HashMap<UserId, User> = rows.users.into_iter().map(|u| (u.id, u)).collect();
        let mut profiles: HashMap<UserId, AgentProfile> =
            rows.profiles.into_iter().map(|p| (p.user_id, p)).collect();
        let mut presences: HashMap<UserId, Presence> =
            rows.presences.into_iter().map(|p| (p.user_id, p)).collect();
        let mut items = Vec::with_capacity(ids.len());
        for id in &ids {
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
            items.push(AgentSummary {
                user,
                profile,
                presence,
            });
        }
        Ok(KeysetPaged {
            items,
            total: None,
            next,
        })
    }

    /// Agents of the company, filtered, ordered and paged by a signed keyset token: one
    /// indexed query for the page's keys, a constant number for the page's rows, and the total
    /// from the company's agent counter (or a bounded count when a filter narrows the list).
    pub async fn list_human_agents(&self, company: CompanyId, q: &AgentQuery) -> Result<AgentPage> {
        if q.ids.as_ref().is_some_and(|ids| ids.len() > MAX_AGENT_IDS) {
            return Err(DomainError::invalid(format!(
                "agentIds: at most {MAX_AGENT_IDS}"
            )));
        }
        let key = self.cursor_key().await?;
        let scope = format!(
            "workforce.agents:{}:{}:{}",
            company.0,
            q.sort.as_str(),
            if q.reverse { "desc" } else { "asc" }
        );
        let after: Option<AgentKey> = q
            .page_token
            .as_deref()
            .map(|t| key.open(&scope, t))
            .transpose()?;
        let now = self.clock.now();
        let mut keys = self
            .store
            .agent_keys(
                company,
                q,
                KeysetPage {
                    after: after.as_ref(),
                    limit: q.limit + 1,
                    reverse: q.reverse,
                },
                now,
            )
            .await?;
        let more = keys.len() > q.limit;
        keys.truncate(q.limit);
        let next = if more {
            keys.last().map(|k| key.seal(&scope, k))
        } else {
            None
        };
        let total = if q.is_filtered() {
            let n = self
                .store
                .count_agents(company, q, now, FILTERED_TOTAL_CAP + 1)
                .await?;
            (n <= FILTERED_TOTAL_CAP).then_some(n)
        } else {
            Some(self.store.agent_count(company).await?)
        };
        let ids: Vec<UserId> = keys.iter().map(|k| UserId(k.user_id)).collect();
        let items = self.assemble_many(company, &ids).await?;
        Ok(AgentPage { items, total, next })
    }

    /// Makes a user of the company an agent: an existing user (`user_id`), or a new user with
    /// `email`, with its teams, status and skills, all in one transaction: an unknown team or
    /// skill leaves nothing behind. An existing agent, or a taken email, is a conflict.
    pub async fn create_human_agent(
        &self,
        company: CompanyId,
        new: NewHumanAgent,
    ) -> Result<HumanAgent> {
        new.profile.validate()?;
        self.store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("workspace"))?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let user = match new.user_id {
            Some(id) => {
                // Held until commit, so two creates for one user cannot both succeed.
                let user = tx
                    .user_for_update(id)
                    .await?
                    .filter(|u| u.company_id == company)
                    .ok_or(DomainError::NotFound("user"))?;
                if tx.agent_profile(id).await?.is_some_and(|p| !p.removed) {
                    return Err(DomainError::Conflict("agent already exists".into()));
                }
                user
            }
            None => {
                let Some(email) = &new.email else {
                    return Err(DomainError::invalid("either userId or email is required"));
                };
                let Some(Some(name)) = &new.profile.name else {
                    return Err(DomainError::invalid("name is required"));
                };
                let user = User {
                    id: UserId::generate(),
                    company_id: company,
                    email: Email::parse(email)?,
                    first_name: Some(name.trim().to_owned()),
                    last_name: None,
                    is_admin: false,
                    partner_api_enabled: true,
                    created_at: now,
                };
                tx.insert_user(&user).await.map_err(|e| match e {
                    DomainError::Conflict(_) => {
                        DomainError::Conflict("agent already exists: the email is taken".into())
                    }
                    other => other,
                })?;
                user
            }
        };
        let mut profile = AgentProfile::blank(&user);
        profile.created_at = now;
        profile.apply(new.profile, now)?;
        tx.remove_agent_links(user.id).await?;
        tx.upsert_agent_profile(&profile).await?;
        for team_id in new.team_ids {
            self.team_in(company, team_id).await?;
            tx.put_team_member(&crate::workforce::collab::TeamMember {
                team_id,
                user_id: user.id,
                status: "active".into(),
                created_at: now,
                updated_at: now,
            })
            .await?;
        }
        self.write_status_and_skills(&mut *tx, company, &user, new.status, new.skills)
            .await?;
        tx.commit().await?;
        self.assemble(company, user.id).await
    }

    /// Updates an agent's profile, and optionally its status and skills, in one transaction.
    /// The agent's user row is locked first and the profile read after it, inside the
    /// transaction, so concurrent updates of one agent apply one after the other and each
    /// merges into what the one before it wrote.
    pub async fn update_human_agent(
        &self,
        company: CompanyId,
        id: UserId,
        patch: ProfilePatch,
        status: Option<PresenceStatus>,
        skills: Option<SkillSelection>,
    ) -> Result<HumanAgent> {
        patch.validate()?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let user = tx
            .user_for_update(id)
            .await?
            .filter(|u| u.company_id == company)
            .ok_or_else(agent_not_found)?;
        let mut profile = tx
            .agent_profile(id)
            .await?
            .unwrap_or_else(|| AgentProfile::blank(&user));
        if profile.removed {
            return Err(agent_not_found());
        }
        profile.apply(patch, now)?;
        tx.upsert_agent_profile(&profile).await?;
        self.write_status_and_skills(&mut *tx, company, &user, status, skills)
            .await?;
        tx.commit().await?;
        self.assemble(company, id).await
    }

    /// Inside `tx`: sets `user`'s presence status and replaces its skills, when given. An
    /// unknown skill or value fails before anything of the skills is written.
    async fn write_status_and_skills(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        user: &User,
        status: Option<PresenceStatus>,
        skills: Option<SkillSelection>,
    ) -> Result<()> {
        if let Some(selection) = skills {
            let mut given = Vec::new();
            for (skill_id, selected) in selection {
                let skill = self.skill_in(company, skill_id).await?;
                skill.check_selection(&selected)?;
                given.push(AgentSkill {
                    user_id: user.id,
                    skill_id,
                    selected,
                });
            }
            tx.set_agent_skills(user.id, &given).await?;
        }
        if let Some(status) = status {
            let change = PresenceChange {
                status,
                activity: None,
                activity_ttl: None,
                activity_text: None,
            };
            self.write_presence(tx, user, &change).await?;
        }
        Ok(())
    }

    /// Removes an agent: the profile is reset and marked removed, and its team memberships,
    /// skills and capacity rule are dropped. The user stays (it may own other records).
    pub async fn remove_human_agent(&self, company: CompanyId, id: UserId) -> Result<()> {
        let (user, _) = self.agent_user(company, id).await?;
        let now = self.clock.now();
        let mut profile = AgentProfile::blank(&user);
        profile.removed = true;
        profile.updated_at = now;
        let mut tx = self.store.begin().await?;
        tx.remove_agent_links(id).await?;
        tx.upsert_agent_profile(&profile).await?;
        tx.commit().await
    }

    /// Writes a presence change for `user` inside `tx`; returns the new presence.
    pub(crate) async fn write_presence(
        &self,
        tx: &mut dyn WriteTx,
        user: &User,
        change: &PresenceChange,
    ) -> Result<Presence> {
        let now = self.clock.now();
        let current = tx
            .presence_for_update(user.id)
            .await?
            .unwrap_or_else(|| Presence::initial(user.id, user.created_at));
        let before = current.at(now);
        let next = current.apply(change, now)?;
        tx.upsert_presence(&next).await?;
        // One agent-status event per change that someone could observe, in the same
        // transaction as the change itself.
        if (before.status, before.activity) != (next.status, next.activity) {
            let fields = serde_json::json!({
                "status": next.status.as_str(),
                "activity": next.activity.as_str(),
                "activity_text": next.activity_text,
                "previous_status": before.status.as_str(),
                "previous_activity": before.activity.as_str(),
            });
            status_event::record(tx, user.company_id, user.id, Source::Presence, fields, now)
                .await?;
        }
        Ok(next)
    }

    /// An agent's presence as it stands now.
    pub async fn agent_presence(&self, company: CompanyId, id: UserId) -> Result<Presence> {
        let (user, _) = self.agent_user(company, id).await?;
        Ok(self
            .store
            .presence(id)
            .await?
            .unwrap_or_else(|| Presence::initial(user.id, user.created_at))
            .at(self.clock.now()))
    }

    /// Sets an agent's presence: the user's presence everywhere.
    pub async fn set_agent_presence(
        &self,
        company: CompanyId,
        id: UserId,
        change: PresenceChange,
    ) -> Result<Presence> {
        change.validate()?;
        let (user, _) = self.agent_user(company, id).await?;
        let mut tx = self.store.begin().await?;
        let p = self.write_presence(&mut *tx, &user, &change).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Opens a work item (a conversation or email) for an agent of the company.
    pub async fn open_work_item(
        &self,
        company: CompanyId,
        agent: UserId,
        channel: WorkChannel,
    ) -> Result<WorkItem> {
        self.agent_user(company, agent).await?;
        let item = WorkItem {
            id: WorkItemId::generate(),
            user_id: agent,
            channel,
            opened_at: self.clock.now(),
            closed_at: None,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_work_item(&item).await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Closes an open work item of an agent of the company.
    pub async fn close_work_item(&self, company: CompanyId, id: WorkItemId) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let user = tx
            .close_work_item(id, self.clock.now())
            .await?
            .ok_or(DomainError::NotFound("work item"))?;
        // Another company's item is missing; dropping the transaction undoes the close.
        let owner = self.store.user(user).await?;
        if owner.is_none_or(|u| u.company_id != company) {
            return Err(DomainError::NotFound("work item"));
        }
        tx.commit().await
    }
}
