//! The use cases of coaching teams and their members. Every read and write is scoped to the
//! caller's company: another company's team, office or user reads as missing. Deleting a user
//! removes them from every team (see the directory).

use serde_json::json;

use crate::ids::{CoachingTeamId, CompanyId, Id, OfficeId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::coaching::{
    check_texts, CoachingMember, CoachingRole, CoachingTeam, NewCoachingTeam, DEFAULT_RING_SECONDS,
};
use crate::telephony::keyset::Opened;
use crate::telephony::office::EntryState;
use crate::telephony::{Person, Telephony};
use crate::{DomainError, Result};

fn missing() -> DomainError {
    DomainError::NotFound("coaching team")
}

impl Telephony<'_> {
    /// One of the company's coaching teams.
    pub async fn coaching_team(
        &self,
        company: CompanyId,
        id: CoachingTeamId,
    ) -> Result<CoachingTeam> {
        self.store
            .coaching_team(company, id)
            .await?
            .ok_or_else(missing)
    }

    /// The company's coaching teams (or one office's), a page at a time in id order. An
    /// office the company does not have is not found.
    pub async fn coaching_teams(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        req: &PageRequest,
    ) -> Result<KeysetPaged<CoachingTeam>> {
        if let Some(office) = office {
            self.office(company, office).await?;
        }
        let scope = format!(
            "telephony.coaching_teams:{}:{}",
            company.0,
            office.map_or(0, |o| o.0)
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .coaching_teams_page(company, office, opened.page())
            .await?;
        Ok(opened.finish(found, |t| t.id.0))
    }

    /// Creates a coaching team, active, in one of the company's offices.
    pub async fn create_coaching_team(
        &self,
        actor: &Actor,
        new: NewCoachingTeam,
    ) -> Result<CoachingTeam> {
        let (name, description) = check_texts(&new.name, new.description.as_deref())?;
        let office = self.office(actor.company, new.office_id).await?;
        let now = self.clock.now();
        let team = CoachingTeam {
            id: CoachingTeamId::generate(),
            company_id: actor.company,
            office_id: office.id,
            name,
            description,
            allow_trainee_eavesdrop: new.allow_trainee_eavesdrop,
            ring_seconds: DEFAULT_RING_SECONDS,
            state: EntryState::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_coaching_team(&team).await?;
        let change = Change::new(
            "coaching_team_created",
            "CoachingTeam",
            team.id,
            "Coaching team created",
        )
        .with(json!({"name": team.name, "office_id": team.office_id.0}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(team)
    }

    /// A team's members with their users, a page at a time in user id order.
    pub async fn coaching_members(
        &self,
        company: CompanyId,
        id: CoachingTeamId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<(CoachingMember, Person)>> {
        let team = self.coaching_team(company, id).await?;
        let scope = format!("telephony.coaching_members:{}:{}", company.0, team.id.0);
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .coaching_members_page(team.id, opened.page())
            .await?;
        let page = opened.finish(found, |(m, _)| m.user_id.0);
        let (members, users): (Vec<_>, Vec<_>) = page.items.into_iter().unzip();
        let people = self.people(users).await?;
        Ok(KeysetPaged {
            items: members.into_iter().zip(people).collect(),
            total: page.total,
            next: page.next,
        })
    }

    /// Adds one of the company's users (not deleted) to a team as a coach or a trainee. A
    /// user who is already a member is a conflict.
    pub async fn add_coaching_member(
        &self,
        actor: &Actor,
        id: CoachingTeamId,
        user: UserId,
        role: CoachingRole,
    ) -> Result<(CoachingMember, Person)> {
        let found = self.live_directory_user(actor.company, user).await?;
        let mut tx = self.store.begin().await?;
        let team = tx
            .coaching_team_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        let now = self.clock.now();
        let member = CoachingMember {
            team_id: team.id,
            user_id: user,
            role,
            added_at: now,
        };
        if !tx.insert_coaching_member(actor.company, &member).await? {
            return Err(DomainError::Conflict(
                "the user is already a member of this coaching team".into(),
            ));
        }
        let change = Change::new(
            "coaching_team_member_added",
            "CoachingTeam",
            team.id,
            "Coaching team member added",
        )
        .with(json!({"user_id": user.0, "role": role.as_str()}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        let person = self
            .people(vec![found])
            .await?
            .pop()
            .ok_or(DomainError::NotFound("user"))?;
        Ok((member, person))
    }
}
