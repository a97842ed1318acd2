//! Adding a participant to a connected call, and unparking.
//!
//! A participant is a new leg whose `master_call_id` is the call. A number is dialled from the
//! call's internal number and, on the simulated network, answers at once (`connected`). A
//! user, call center, department or office is called on its primary number (one without a
//! number cannot be added: 400) and the leg is routed exactly as an inbound call to that number
//! is: a user's devices ring (voicemail after the ring time), a group's operators are offered
//! the call or it queues, an office rings its main-line operators. Each leg then lives and ends
//! on its own.
//!
//! Calls are never parked here (the simulated network has no park orbit), so unparking a call
//! of the company is always refused (409) once the call and the user are found.

use crate::calls::control::save;
use crate::calls::leg::{CallLeg, CallState, Party};
use crate::calls::outbound::{e164, outbound_leg};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{CallId, CompanyId, OfficeId, UserId};
use crate::{DomainError, Result};

/// Who joins a call.
#[derive(Debug, Clone)]
pub enum Participant {
    Number(String),
    /// A user, call center, department or office.
    Target(Party),
}

/// A participant found: a number in E.164, or a target with its office and primary number.
enum Joining {
    Number(String),
    Target(Party, OfficeId, String),
}

impl Calls<'_> {
    /// Adds a participant to one of the company's connected calls; answers the new leg.
    pub async fn add_participant(
        &self,
        company: CompanyId,
        id: CallId,
        participant: Participant,
    ) -> Result<CallLeg> {
        let call = self.call(company, id).await?;
        let target = match &participant {
            Participant::Number(raw) => Joining::Number(e164("number", raw)?),
            Participant::Target(party) => {
                let office = self.party_office(company, *party).await?;
                let number = self
                    .party_numbers(*party)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        DomainError::invalid("the target has no primary number to call")
                    })?;
                Joining::Target(*party, office, number)
            }
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let call = tx
            .call_leg_for_update(company, call.id)
            .await?
            .ok_or(DomainError::NotFound("call"))?;
        if !call.state.is_live() {
            return Err(DomainError::Conflict(format!(
                "only a connected call takes participants; the call is {}",
                call.state.as_str()
            )));
        }
        let mut step = Step::default();
        let leg = match target {
            Joining::Number(number) => {
                let mut leg =
                    outbound_leg(company, &number, &call.internal_number, call.target, now);
                leg.master_call_id = Some(call.id);
                leg.office_id = call.office_id;
                tx.insert_call_leg(&leg).await?;
                event::record(tx.as_mut(), &leg, now).await?;
                leg.state = CallState::Connected;
                leg.date_connected = Some(now);
                save(tx.as_mut(), &mut leg, CallState::Calling, now).await?;
                step.effects.push(Effect::Bridge {
                    entry: call.id,
                    operator: leg.id,
                });
                leg
            }
            Joining::Target(party, office, number) => {
                let mut leg =
                    CallLeg::inbound(company, &call.external_number, &number, Some(party), now);
                leg.master_call_id = Some(call.id);
                leg.office_id = Some(office);
                tx.insert_call_leg(&leg).await?;
                event::record(tx.as_mut(), &leg, now).await?;
                self.route(tx.as_mut(), &mut leg, party, 0, &mut step, now)
                    .await?;
                leg
            }
        };
        tx.commit().await?;
        self.finish(step).await?;
        self.call(company, leg.id).await
    }

    /// Unparks a call for a user: the call and the user must be the company's; no call is ever
    /// parked here, so it is then refused.
    pub async fn unpark(&self, company: CompanyId, id: CallId, user: UserId) -> Result<CallLeg> {
        let call = self.call(company, id).await?;
        self.telephony().live_directory_user(company, user).await?;
        Err(DomainError::Conflict(format!(
            "call {} is not parked; it is {}",
            call.id.0,
            call.state.as_str()
        )))
    }
}
