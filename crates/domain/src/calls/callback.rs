//! Callbacks: a call center calls a number back. The callback is an outbound leg
//! (`callback_requested`, showing the call center's primary number) that waits for the call
//! center's operators exactly as an inbound call does — rung at once when someone is free,
//! else queued; the operator who answers talks to the number.
//!
//! A callback is refused when the call center has no number to call from, is closed (hours,
//! holidays), has a full hold queue, when the number is in another country than the call
//! center's office (no international callbacks), or when a callback to the same number from the
//! same call center has not ended yet (409). Validation is the same checks without the call.

use crate::calls::leg::{CallLeg, Party, PartyKind};
use crate::calls::outbound::{e164, outbound_leg};
use crate::calls::{event, Calls, Step};
use crate::ids::{CompanyId, GroupId};
use crate::phone::E164;
use crate::routing;
use crate::telephony::group::{Group, GroupKind};
use crate::{DomainError, Result};

/// A refused callback: why, and whether it is a duplicate (409) rather than a rule (400).
struct Refusal {
    why: String,
    duplicate: bool,
}

impl Refusal {
    fn rule(why: impl Into<String>) -> Self {
        Self {
            why: why.into(),
            duplicate: false,
        }
    }

    fn error(self) -> DomainError {
        if self.duplicate {
            DomainError::Conflict(self.why)
        } else {
            DomainError::invalid(self.why)
        }
    }
}

/// A checked callback: the call center, the number, the number it shows.
struct Checked {
    group: Group,
    number: String,
    from: String,
}

impl Calls<'_> {
    /// The call center (404 when the company has no such call center) and the number
    /// (400 when not E.164); then the rules, as `Err(Refusal)`.
    async fn check_callback(
        &self,
        company: CompanyId,
        group: GroupId,
        number: &str,
    ) -> Result<std::result::Result<Checked, Refusal>> {
        let number = e164("phone_number", number)?;
        let group = self
            .store
            .group(company, group)
            .await?
            .filter(|g| g.kind == GroupKind::CallCenter)
            .ok_or(DomainError::NotFound("call center"))?;
        let office = self
            .store
            .office(company, group.office_id)
            .await?
            .ok_or(DomainError::NotFound("office"))?;
        let party = Party {
            kind: PartyKind::CallCenter,
            id: group.id.0,
        };
        let Some(from) = self.party_numbers(party).await?.into_iter().next() else {
            return Ok(Err(Refusal::rule(
                "the call center has no number to call from",
            )));
        };
        let region = E164::parse(&number, None)?.parts().region;
        if !region.is_some_and(|r| r.eq_ignore_ascii_case(&office.country)) {
            return Ok(Err(Refusal::rule(format!(
                "{number} is not in the call center's country ({}): no international callbacks",
                office.country
            ))));
        }
        let now = self.clock.now();
        if !routing::openness(&group.settings, &office.timezone, now).open {
            return Ok(Err(Refusal::rule("the call center is closed")));
        }
        let q = &group.settings.hold_queue;
        let waiting = self.store.queue_figures(group.id).await?.waiting;
        if !q.enabled || waiting >= q.max_hold_count {
            return Ok(Err(Refusal::rule("the call center's queue is full")));
        }
        if self.store.open_callback(group.id, &number).await? {
            return Ok(Err(Refusal {
                why: format!("a callback to {number} from this call center is already pending"),
                duplicate: true,
            }));
        }
        Ok(Ok(Checked {
            group,
            number,
            from,
        }))
    }

    /// Whether a callback would be accepted now.
    pub async fn validate_callback(
        &self,
        company: CompanyId,
        group: GroupId,
        number: &str,
    ) -> Result<bool> {
        Ok(self.check_callback(company, group, number).await?.is_ok())
    }

    /// Places a callback; answers the leg and its place in the queue (1 = next; 1 too when an
    /// operator is rung at once).
    pub async fn callback(
        &self,
        company: CompanyId,
        group: GroupId,
        number: &str,
    ) -> Result<(CallLeg, u32)> {
        let checked = self
            .check_callback(company, group, number)
            .await?
            .map_err(Refusal::error)?;
        let now = self.clock.now();
        let party = Party {
            kind: PartyKind::CallCenter,
            id: checked.group.id.0,
        };
        let mut leg = outbound_leg(company, &checked.number, &checked.from, Some(party), now);
        leg.entry_target = Some(party);
        leg.office_id = Some(checked.group.office_id);
        leg.callback_requested = true;
        let mut tx = self.store.begin().await?;
        tx.insert_call_leg(&leg).await?;
        event::record(tx.as_mut(), &leg, now).await?;
        let mut step = Step::default();
        self.route(tx.as_mut(), &mut leg, party, 0, &mut step, now)
            .await?;
        if leg.state.is_final() {
            return Err(DomainError::invalid(
                "the call center takes no calls now: nobody is on duty",
            ));
        }
        let position = if leg.state == crate::calls::leg::CallState::Queued {
            tx.queue_position(checked.group.id, leg.id).await?.max(1)
        } else {
            1
        };
        tx.commit().await?;
        self.finish(step).await?;
        Ok((self.call(company, leg.id).await?, position))
    }
}
