//! Teams and their members.

use super::collab::{one_of, text};
use super::{finish, keyset};
use crate::ids::{CompanyId, Id, TeamId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::tenancy::account::User;
use crate::workforce::collab::{Team, TeamInfo, TeamMember};
use crate::workforce::Workforce;
use crate::{DomainError, Result};

/// A team to create or the changes to one (`None` leaves a field).
#[derive(Debug, Clone, Default)]
pub struct TeamInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub hide_from_views: Option<bool>,
    pub visibility: Option<String>,
    pub accessibility: Option<String>,
    /// Users to add as members (create only).
    pub members: Vec<UserId>,
}

impl Workforce<'_> {
    /// A team of the company.
    pub async fn team_in(&self, company: CompanyId, id: TeamId) -> Result<TeamInfo> {
        self.store
            .team(id)
            .await?
            .filter(|t| t.team.company_id == company)
            .ok_or(DomainError::NotFound("team"))
    }

    /// One page of the company's teams by name, with the number of teams.
    pub async fn team_page(
        &self,
        company: CompanyId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<TeamInfo>> {
        let (key, scope, after) = self
            .open_token::<(String, i64)>(company, "teams", req)
            .await?;
        let found = self
            .store
            .team_page(company, keyset(after.as_ref(), req))
            .await?;
        let (items, next) = finish(&key, &scope, found, req.limit, |t| {
            (t.team.name.clone(), t.team.id.0)
        });
        let total = Some(self.store.team_count(company).await?);
        Ok(KeysetPaged { items, total, next })
    }

    pub(super) async fn company_user(&self, company: CompanyId, id: UserId) -> Result<User> {
        let (user, _) = self.agent_user(company, id).await?;
        Ok(user)
    }

    /// Creates a team with its first members.
    pub async fn create_team(&self, company: CompanyId, input: TeamInput) -> Result<TeamInfo> {
        let now = self.clock.now();
        let team = Team {
            id: TeamId::generate(),
            company_id: company,
            name: text("name", input.name.as_deref().unwrap_or(""), 1, 100)?,
            description: text(
                "description",
                input.description.as_deref().unwrap_or(""),
                0,
                240,
            )?,
            visibility: one_of(
                "visibility",
                input.visibility.as_deref().unwrap_or("public"),
                &["public", "private"],
            )?,
            accessibility: one_of(
                "accessibility",
                input.accessibility.as_deref().unwrap_or("open"),
                &["open", "request-to-join", "invite-only"],
            )?,
            hide_from_views: input.hide_from_views.unwrap_or(false),
            created_at: now,
            updated_at: now,
        };
        for m in &input.members {
            self.company_user(company, *m).await?;
        }
        let mut tx = self.store.begin().await?;
        tx.insert_team(&team).await?;
        for m in input.members {
            tx.put_team_member(&TeamMember {
                team_id: team.id,
                user_id: m,
                status: "active".into(),
                created_at: now,
                updated_at: now,
            })
            .await?;
        }
        tx.commit().await?;
        self.team_in(company, team.id).await
    }

    /// Changes a team's name, description or flags.
    pub async fn update_team(
        &self,
        company: CompanyId,
        id: TeamId,
        input: TeamInput,
    ) -> Result<TeamInfo> {
        // The row is held from before it is read until the write commits, so a concurrent
        // update of another field is merged, not overwritten.
        let mut tx = self.store.begin().await?;
        let mut team = tx
            .lock_team(id)
            .await?
            .filter(|t| t.team.company_id == company)
            .ok_or(DomainError::NotFound("team"))?
            .team;
        if let Some(n) = &input.name {
            team.name = text("name", n, 1, 100)?;
        }
        if let Some(d) = &input.description {
            team.description = text("description", d, 0, 240)?;
        }
        if let Some(v) = &input.visibility {
            team.visibility = one_of("visibility", v, &["public", "private"])?;
        }
        if let Some(a) = &input.accessibility {
            team.accessibility = one_of(
                "accessibility",
                a,
                &["open", "request-to-join", "invite-only"],
            )?;
        }
        if let Some(h) = input.hide_from_views {
            team.hide_from_views = h;
        }
        team.updated_at = self.clock.now();
        tx.update_team(&team).await?;
        tx.commit().await?;
        self.team_in(company, id).await
    }

    /// Deletes a team and its memberships.
    pub async fn delete_team(&self, company: CompanyId, id: TeamId) -> Result<()> {
        self.team_in(company, id).await?;
        let mut tx = self.store.begin().await?;
        tx.delete_team(id).await?;
        tx.commit().await
    }

    /// Members of a team.
    pub async fn team_members(&self, company: CompanyId, id: TeamId) -> Result<Vec<TeamMember>> {
        self.team_in(company, id).await?;
        self.store.team_members(id).await
    }

    /// Adds an agent of the company to a team; a member already there is a conflict.
    pub async fn add_team_member(
        &self,
        company: CompanyId,
        id: TeamId,
        user: UserId,
    ) -> Result<TeamMember> {
        self.team_in(company, id).await?;
        self.company_user(company, user).await?;
        if self
            .store
            .team_members(id)
            .await?
            .iter()
            .any(|m| m.user_id == user)
        {
            return Err(DomainError::Conflict(
                "the agent is already a member".into(),
            ));
        }
        let now = self.clock.now();
        let member = TeamMember {
            team_id: id,
            user_id: user,
            status: "active".into(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.put_team_member(&member).await?;
        tx.commit().await?;
        Ok(member)
    }

    /// Removes a member from a team.
    pub async fn remove_team_member(
        &self,
        company: CompanyId,
        id: TeamId,
        user: UserId,
    ) -> Result<()> {
        self.team_in(company, id).await?;
        let mut tx = self.store.begin().await?;
        if !tx.delete_team_member(id, user).await? {
            return Err(DomainError::NotFound("team member"));
        }
        tx.commit().await
    }
}
