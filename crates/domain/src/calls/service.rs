//! The calls use cases as the dialects and the simulator's control API reach them.

use jiff::Timestamp;

use crate::calls::control::Prepared;
use crate::calls::leg::{
    CallFilter, CallLeg, CallState, Outcome, Party, PartyKind, TranscriptLine,
};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{CallId, CompanyId, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::phone::E164;
use crate::telephony::driver::NetworkEvent;
use crate::telephony::keyset::Opened;
use crate::{DomainError, Result};

/// An outside caller dials one of the company's numbers.
#[derive(Debug, Clone)]
pub struct InboundCall {
    pub from: String,
    pub to: String,
}

/// Which party of a call acts: the outside caller or the company's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    External,
    Internal,
}

impl Side {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "external" => Ok(Self::External),
            "internal" => Ok(Self::Internal),
            other => Err(DomainError::invalid(format!(
                "side must be 'external' or 'internal', not '{other}'"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::External => "external",
            Self::Internal => "internal",
        }
    }
}

/// Longest transcript line, in characters.
const MAX_LINE: usize = 4000;

impl Calls<'_> {
    /// An outside caller dials `to`: the call is recorded, refused when the caller is blocked,
    /// and routed to what the number rings. Answers the entry-point leg as it stands once the
    /// network has been told (an auto-answering device may have answered already).
    pub async fn inbound(&self, company: CompanyId, call: InboundCall) -> Result<CallLeg> {
        let (id, step) = self.inbound_step(company, call, None).await?;
        self.finish(step).await?;
        self.call(company, id).await
    }

    /// [`Self::inbound`] for a network that names the call's entry leg itself (from
    /// [`CallId::generate`]), so that it knows the leg before the first effect reaches it.
    pub async fn inbound_as(
        &self,
        company: CompanyId,
        call: InboundCall,
        id: CallId,
    ) -> Result<CallLeg> {
        let (id, step) = self.inbound_step(company, call, Some(id)).await?;
        self.finish(step).await?;
        self.call(company, id).await
    }

    /// [`Self::inbound`] up to its commit: the entry leg's id and what the network is told.
    pub(crate) async fn inbound_step(
        &self,
        company: CompanyId,
        call: InboundCall,
        id: Option<CallId>,
    ) -> Result<(CallId, Step)> {
        let from = E164::parse(&call.from, None).map_err(|_| {
            DomainError::invalid(format!("from '{}' is not an E.164 number", call.from))
        })?;
        let to = E164::parse(&call.to, None).map_err(|_| {
            DomainError::invalid(format!("to '{}' is not an E.164 number", call.to))
        })?;
        let number = self
            .store
            .number(company, to.as_str())
            .await?
            .ok_or(DomainError::NotFound("number"))?;
        let assigned = number.target.ok_or_else(|| {
            DomainError::invalid(format!("{} rings nothing: it is not assigned", to.as_str()))
        })?;
        let kind = PartyKind::from_target_name(assigned.kind.as_str()).ok_or_else(|| {
            DomainError::invalid(format!(
                "{} rings a room, and rooms take no calls here yet",
                to.as_str()
            ))
        })?;
        let target = Party {
            kind,
            id: assigned.id,
        };
        let now = self.clock.now();
        let mut entry = CallLeg::inbound(company, from.as_str(), to.as_str(), Some(target), now);
        if let Some(id) = id {
            entry.id = id;
        }
        entry.office_id = number.office_id;
        let blocked = self.store.is_blocked(company, &from).await?;
        let mut tx = self.store.begin().await?;
        tx.insert_call_leg(&entry).await?;
        event::record(tx.as_mut(), &entry, now).await?;
        let mut step = Step::default();
        if blocked {
            entry.end(CallState::Blocked, Outcome::Blocked, now);
            tx.update_call_leg(&entry).await?;
            event::record(tx.as_mut(), &entry, now).await?;
        } else {
            self.route(tx.as_mut(), &mut entry, target, 0, &mut step, now)
                .await?;
        }
        tx.commit().await?;
        Ok((entry.id, step))
    }

    /// The user's ringing device answers.
    pub async fn answer_device(&self, company: CompanyId, user: UserId) -> Result<CallLeg> {
        let leg = self.ringing_leg(company, user).await?;
        self.apply(NetworkEvent::Answered {
            company,
            leg: leg.id,
            user,
        })
        .await?;
        self.call(company, leg.id).await
    }

    /// The user's ringing device declines.
    pub async fn reject_device(&self, company: CompanyId, user: UserId) -> Result<CallLeg> {
        let leg = self.ringing_leg(company, user).await?;
        self.apply(NetworkEvent::Rejected {
            company,
            leg: leg.id,
            user,
        })
        .await?;
        self.call(company, leg.id).await
    }

    async fn ringing_leg(&self, company: CompanyId, user: UserId) -> Result<CallLeg> {
        self.store
            .directory_user(company, user)
            .await?
            .ok_or(DomainError::NotFound("user"))?;
        self.store
            .ringing_leg_of(company, user)
            .await?
            .ok_or_else(|| DomainError::Conflict("no device of the user is ringing".into()))
    }

    /// Whether the user's simulated devices answer at once.
    pub async fn set_auto_answer(
        &self,
        company: CompanyId,
        user: UserId,
        enabled: bool,
    ) -> Result<()> {
        self.store
            .directory_user(company, user)
            .await?
            .ok_or(DomainError::NotFound("user"))?;
        let mut tx = self.store.begin().await?;
        tx.set_sim_auto_answer(company, user, enabled).await?;
        tx.commit().await
    }

    /// Applies what the network reports (an inbound call, an answer, a decline, a hang-up,
    /// keys pressed, hold) and what follows from it.
    pub async fn network_event(&self, event: NetworkEvent) -> Result<()> {
        self.apply(event).await
    }

    async fn apply(&self, event: NetworkEvent) -> Result<()> {
        let step = self.network_step(event).await?;
        self.finish(step).await
    }

    /// Ends the call: a connected call for both parties; a call still ringing or waiting is
    /// given up by its caller (`external`) or declined by the ringing user (`internal`).
    pub async fn hang_up(&self, company: CompanyId, id: CallId, side: Side) -> Result<CallLeg> {
        let leg = self.call(company, id).await?;
        if leg.state.is_final() {
            return Err(DomainError::invalid("the call has already ended"));
        }
        let step = match (leg.state, side, leg.user_id) {
            (CallState::Ringing, Side::Internal, Some(user)) => {
                self.rejected(company, id, user).await?
            }
            _ => self.ended(company, id).await?,
        };
        self.finish(step).await?;
        self.call(company, id).await
    }

    /// The caller presses keys (`0-9*#`): a queued caller may ask for a callback or leave the
    /// queue; other digits are recorded on the call.
    pub async fn digits(&self, company: CompanyId, id: CallId, digits: &str) -> Result<CallLeg> {
        if digits.is_empty()
            || digits.len() > 32
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
        {
            return Err(DomainError::invalid(
                "digits must be 1 to 32 of 0-9, * and #",
            ));
        }
        let leg = self.call(company, id).await?;
        if leg.state.is_final() {
            return Err(DomainError::invalid("the call has already ended"));
        }
        let step = self.pressed(company, id, digits).await?;
        self.finish(step).await?;
        self.call(company, id).await
    }

    /// A line said on a connected call, added to its transcript.
    pub async fn say(
        &self,
        company: CompanyId,
        id: CallId,
        side: Side,
        text: &str,
    ) -> Result<TranscriptLine> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_LINE {
            return Err(DomainError::invalid(format!(
                "text must be 1 to {MAX_LINE} characters"
            )));
        }
        let mut tx = self.store.begin().await?;
        let leg = tx
            .call_leg_for_update(company, id)
            .await?
            .ok_or(DomainError::NotFound("call"))?;
        if !leg.state.is_live() {
            return Err(DomainError::invalid(
                "only a connected call has a transcript",
            ));
        }
        let speaker = match side {
            Side::External => Some(leg.external_number.clone()),
            Side::Internal => leg.user_id.map(|u| u.0.to_string()),
        };
        let line = TranscriptLine {
            // One conversation: an operator's lines are kept with the entry leg.
            call_id: leg.entry_point_call_id.unwrap_or(leg.id),
            seq: 0,
            side: side.as_str().into(),
            speaker,
            text: text.to_owned(),
            at: self.clock.now(),
        };
        tx.append_transcript(company, &line).await?;
        tx.commit().await?;
        Ok(line)
    }

    /// One of the company's calls.
    pub async fn call(&self, company: CompanyId, id: CallId) -> Result<CallLeg> {
        self.store
            .call_leg(company, id)
            .await?
            .ok_or(DomainError::NotFound("call"))
    }

    /// The company's calls, newest first, a page at a time.
    pub async fn calls(
        &self,
        company: CompanyId,
        filter: &CallFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<CallLeg>> {
        let scope = format!("calls:{}:{}", company.0, filter.scope());
        let opened = Opened::<(i64, i64)>::new(&self.telephony(), scope, req).await?;
        let found = self
            .store
            .calls_page(company, filter, opened.page())
            .await?;
        Ok(opened.finish(found, |c| (c.date_started.as_millisecond(), c.id.0)))
    }

    /// The transcript of one of the company's calls (an operator leg's lines are its entry
    /// leg's: one conversation).
    pub async fn transcript(&self, company: CompanyId, id: CallId) -> Result<Vec<TranscriptLine>> {
        let leg = self.call(company, id).await?;
        self.store
            .transcript(leg.entry_point_call_id.unwrap_or(leg.id))
            .await
    }

    /// Fires every timer due by the clock's now; answers how many fired.
    pub async fn run_due(&self) -> Result<usize> {
        let mut fired = 0;
        loop {
            let now = self.clock.now();
            let due = self.store.due_timers(now, 100).await?;
            if due.is_empty() {
                return Ok(fired);
            }
            for timer in due {
                let step = self.fire(&timer).await?;
                self.finish(step).await?;
                fired += 1;
            }
        }
    }

    /// Moves a manual clock forward and fires what fell due; a wall clock cannot be moved.
    pub async fn advance_clock(&self, seconds: i64) -> Result<Timestamp> {
        if !(1..=31_536_000).contains(&seconds) {
            return Err(DomainError::invalid(
                "seconds must be between 1 and 31536000",
            ));
        }
        if !self.clock.advance_by(seconds) {
            return Err(DomainError::Conflict(
                "the server runs on the wall clock; start it with SWITCHBOARD_CLOCK=manual".into(),
            ));
        }
        self.run_due().await?;
        Ok(self.clock.now())
    }

    /// Tells the network what the committed step decided, then applies what it reports, and
    /// offers waiting calls to operators who became free — until nothing is left to do.
    pub(crate) async fn finish(&self, step: Step) -> Result<()> {
        let mut pending = std::collections::VecDeque::from([step]);
        let mut rounds = 0;
        while let Some(step) = pending.pop_front() {
            rounds += 1;
            if rounds > 10_000 {
                return Err(DomainError::internal("call steps do not settle"));
            }
            for effect in step.effects {
                if let Effect::AskRouter {
                    company,
                    entry,
                    router,
                } = effect
                {
                    pending.push_back(self.consult_router(company, entry, router).await?);
                } else {
                    Prepared(effect).apply(self.driver.as_ref()).await?;
                }
            }
            for user in step.freed {
                pending.push_back(self.dispatch_waiting(user).await?);
            }
            for event in self.driver.take_events() {
                pending.push_back(self.network_step(event).await?);
            }
        }
        Ok(())
    }
}
