//! What is read about calls beside the calls themselves: a group's live status, the routing
//! preview ("who would get the next call, and why"), the plan the engine would make now, and a
//! call's labels.

use jiff::Timestamp;
use serde::Serialize;

use crate::calls::leg::{CallLeg, Party, PartyKind};
use crate::calls::Calls;
use crate::ids::{CallId, CompanyId, GroupId};
use crate::routing::{self, Preview};
use crate::{DomainError, Result};

/// A call as it went: its entry leg, the operators' legs it rang (in the order they were
/// made) and what was said.
#[derive(Debug, Clone)]
pub struct Journey {
    pub entry: CallLeg,
    pub operators: Vec<CallLeg>,
    pub transcript: Vec<crate::calls::leg::TranscriptLine>,
}

/// One of a group's operators as the live view shows them: duty, do-not-disturb and the
/// call they are on (or that rings for them), if any.
#[derive(Debug, Clone)]
pub struct OperatorNow {
    pub user_id: crate::ids::UserId,
    pub on_duty: bool,
    pub duty_state: crate::telephony::group::DutyState,
    pub do_not_disturb: bool,
    pub call: Option<CallLeg>,
}

/// Operators of a preview page.
const PREVIEW_PAGE: usize = 100;

/// A group's live status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStatus {
    pub open: bool,
    /// The holiday the group is in, if any.
    pub holiday: Option<String>,
    /// Why open or closed.
    pub why: String,
    pub on_duty: u32,
    /// Operators who could take a call now.
    pub available: u32,
    /// Calls in the hold queue.
    pub waiting: u32,
    /// How long the longest-waiting call has waited, in seconds.
    pub longest_wait_seconds: i64,
    /// Calls that reached the group since the start of the day (office time) and how many of
    /// them were answered.
    pub calls_today: u64,
    pub answered_today: u64,
}

impl Calls<'_> {
    async fn group_and_zone(
        &self,
        company: CompanyId,
        id: GroupId,
    ) -> Result<(crate::telephony::group::Group, String)> {
        self.group_with_zone(company, Some(id))
            .await?
            .ok_or(DomainError::NotFound("call center"))
    }

    /// The group and the time zone its hours are read in (its office's; UTC should the office
    /// be gone); `None` when there is no such group.
    pub(crate) async fn group_with_zone(
        &self,
        company: CompanyId,
        id: Option<GroupId>,
    ) -> Result<Option<(crate::telephony::group::Group, String)>> {
        let Some(id) = id else {
            return Ok(None);
        };
        let Some(group) = self.store.group(company, id).await? else {
            return Ok(None);
        };
        let tz = self
            .store
            .office(company, group.office_id)
            .await?
            .map(|o| o.timezone)
            .unwrap_or_else(|| "UTC".into());
        Ok(Some((group, tz)))
    }

    /// The group's status now.
    pub async fn group_status(&self, company: CompanyId, id: GroupId) -> Result<GroupStatus> {
        let (group, tz) = self.group_and_zone(company, id).await?;
        let now = self.clock.now();
        let openness = routing::openness(&group.settings, &tz, now);
        let local = openness.local.date();
        let holiday = group
            .settings
            .holidays
            .iter()
            .find(|h| group.settings.hours_on && h.date == local)
            .map(|h| h.name.clone());
        let (on_duty, available) = self.store.group_operator_counts(id, now).await?;
        let queue = self.store.queue_figures(id).await?;
        let day_start = local
            .to_zoned(jiff::tz::TimeZone::get(&tz).unwrap_or(jiff::tz::TimeZone::UTC))
            .map(|z| z.timestamp())
            .unwrap_or(now);
        let (calls_today, answered_today) = self.store.group_calls_since(id, day_start).await?;
        Ok(GroupStatus {
            open: openness.open,
            holiday,
            why: openness.why,
            on_duty,
            available,
            waiting: queue.waiting,
            longest_wait_seconds: queue
                .oldest
                .map_or(0, |t| (now.as_second() - t.as_second()).max(0)),
            calls_today,
            answered_today,
        })
    }

    /// Who would get a call to the group now, in what order, and why each other operator (of
    /// the first hundred, in join order) would not.
    pub async fn routing_preview(&self, company: CompanyId, id: GroupId) -> Result<Preview> {
        let (group, tz) = self.group_and_zone(company, id).await?;
        let now: Timestamp = self.clock.now();
        let rows = self
            .store
            .group_operator_rows(id, None, PREVIEW_PAGE)
            .await?;
        let views = self.operator_views(&rows, now).await?;
        let (on_duty, _) = self.store.group_operator_counts(id, now).await?;
        let waiting = self.store.queue_figures(id).await?.waiting;
        let input = routing::PlanInput {
            settings: &group.settings,
            tz: &tz,
            candidates: &views,
            tried: &[],
            seed: now.as_millisecond() as u64,
            waiting,
            any_on_duty: on_duty > 0,
        };
        Ok(routing::preview(&input, &views, now))
    }

    /// The group's operators now (the first page of them in join order), each with duty,
    /// do-not-disturb and current call: three reads whatever the group's size.
    pub async fn operators_now(&self, company: CompanyId, id: GroupId) -> Result<Vec<OperatorNow>> {
        self.group_and_zone(company, id).await?;
        let now = self.clock.now();
        let rows = self
            .store
            .group_operator_rows(id, None, PREVIEW_PAGE)
            .await?;
        let views = self.operator_views(&rows, now).await?;
        let ids: Vec<_> = rows.iter().map(|r| r.user_id).collect();
        let mut legs = self.store.live_legs_of(company, &ids).await?;
        Ok(views
            .into_iter()
            .map(|v| {
                // Newest first: the leg that matters is the latest one.
                let call = legs
                    .iter()
                    .position(|l| l.user_id == Some(v.user_id))
                    .map(|i| legs.remove(i));
                OperatorNow {
                    user_id: v.user_id,
                    on_duty: v.on_duty,
                    duty_state: v.duty_state,
                    do_not_disturb: v.do_not_disturb,
                    call,
                }
            })
            .collect())
    }

    /// What the engine would decide for a new call to one of the company's groups now,
    /// through the same reads a real call makes (the candidates from the routing index, the
    /// call's legs, the queue, whether anyone is on duty) and the same plan, in a transaction
    /// that is rolled back. For benchmarks and diagnostics; another company's group is not
    /// found.
    pub async fn plan_now(&self, company: CompanyId, id: GroupId) -> Result<routing::Plan> {
        let now = self.clock.now();
        let target = Party {
            kind: PartyKind::CallCenter,
            id: id.0,
        };
        let mut probe = CallLeg::inbound(company, "", "", Some(target), now);
        probe.group_id = Some(id);
        let mut tx = self.store.begin().await?;
        let planned = self.plan_for(tx.as_mut(), &probe, now).await?;
        drop(tx);
        planned
            .map(|(_, plan)| plan)
            .ok_or(DomainError::NotFound("call center"))
    }

    /// The names of these parties of the company (users, call centers, offices, …; those that
    /// exist): one read per kind.
    pub async fn names(
        &self,
        company: CompanyId,
        parties: &[Party],
    ) -> Result<Vec<(Party, String)>> {
        if parties.is_empty() {
            return Ok(Vec::new());
        }
        let found = self.store.party_names(company, parties).await?;
        Ok(found.into_iter().map(|n| (n.party, n.name)).collect())
    }

    /// The journey of the call that `id` (an entry leg or one of its operators' legs) belongs
    /// to: three indexed reads (the entry, its operator legs, its transcript).
    pub async fn journey(&self, company: CompanyId, id: CallId) -> Result<Journey> {
        let leg = self.call(company, id).await?;
        let entry = match leg.entry_point_call_id {
            Some(e) if e != leg.id => self.call(company, e).await?,
            _ => leg,
        };
        let mut operators = self.store.operator_legs(entry.id).await?;
        operators.retain(|l| l.id != entry.id && l.company_id == company);
        operators.sort_by_key(|l| (l.date_started, l.id.0));
        let transcript = self.store.transcript(entry.id).await?;
        Ok(Journey {
            entry,
            operators,
            transcript,
        })
    }

    /// Sets the call's labels (each one of the company's call labels).
    pub async fn set_labels(
        &self,
        company: CompanyId,
        id: CallId,
        labels: Vec<String>,
    ) -> Result<CallLeg> {
        self.telephony().check_call_labels(company, &labels).await?;
        let mut tx = self.store.begin().await?;
        let mut leg = tx
            .call_leg_for_update(company, id)
            .await?
            .ok_or(DomainError::NotFound("call"))?;
        leg.labels = labels;
        leg.updated_at = self.clock.now();
        tx.update_call_leg(&leg).await?;
        tx.commit().await?;
        Ok(leg)
    }
}
