//! What people and timers do to calls: answer, decline, hang up, press keys; ring timeouts,
//! queue steps and the end of wrap-up. Each runs one transaction and answers the [`Step`] it
//! leaves for the network.

use jiff::{SignedDuration, Timestamp};

use crate::calls::leg::{CallLeg, CallState, Direction, Outcome};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{CallId, CompanyId, UserId};
use crate::routing;
use crate::store::WriteTx;
use crate::telephony::driver::{NetworkEvent, TelephonyDriver};
use crate::{DomainError, Result};

/// An effect ready to be applied.
pub(crate) struct Prepared(pub Effect);

impl Prepared {
    pub(crate) async fn apply(self, driver: &dyn TelephonyDriver) -> Result<()> {
        match self.0 {
            Effect::Ring {
                company,
                entry,
                leg,
                user,
            } => driver.ring(company, entry, leg, user).await,
            Effect::StopRinging { leg } => driver.stop_ringing(leg).await,
            Effect::Dial {
                company,
                leg,
                from,
                to,
            } => driver.dial(company, leg, &from, &to).await,
            Effect::Bridge { entry, operator } => driver.bridge(entry, operator).await,
            Effect::HangUp { leg } => driver.hang_up(leg).await,
            Effect::Voicemail { leg } => driver.voicemail(leg).await,
            Effect::Play { leg, prompt } => driver.play(leg, &prompt).await,
            Effect::AskRouter { .. } => Ok(()),
            Effect::Record { leg, on } => driver.record(leg, on).await,
        }
    }
}

/// Writes the leg and, when its state changed from `before`, its call event.
pub(crate) async fn save(
    tx: &mut dyn WriteTx,
    leg: &mut CallLeg,
    before: CallState,
    now: Timestamp,
) -> Result<()> {
    leg.updated_at = now;
    tx.update_call_leg(leg).await?;
    if leg.state != before {
        event::record(tx, leg, now).await?;
    }
    Ok(())
}

/// The operator's status as calls move it: `occupied` on a call, `wrapup` after it, then
/// `available` (an agent-status event).
pub(super) async fn on_call(
    tx: &mut dyn WriteTx,
    company: CompanyId,
    user: UserId,
    status: &str,
    now: Timestamp,
) -> Result<()> {
    let fields = serde_json::json!({"on_duty_status": status});
    crate::workforce::status_event::record(
        tx,
        company,
        user,
        crate::workforce::status_event::Source::Call,
        fields,
        now,
    )
    .await
}

/// Whether the leg rings `user`'s device: an inbound leg ringing, or their outbound leg calling.
fn rings(leg: &CallLeg, user: UserId) -> bool {
    matches!(leg.state, CallState::Ringing | CallState::Calling) && leg.user_id == Some(user)
}

pub(crate) fn after(now: Timestamp, seconds: u32) -> Timestamp {
    now.checked_add(SignedDuration::from_secs(i64::from(seconds)))
        .unwrap_or(now)
}

impl Calls<'_> {
    /// Holds a leg for update, its entry leg first: every use case locks a call's legs in
    /// the same order (entry, then operators), so concurrent ones never wait on each other in
    /// a circle.
    pub(crate) async fn lock_leg(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        id: CallId,
    ) -> Result<Option<CallLeg>> {
        let entry = self
            .store
            .call_leg(company, id)
            .await?
            .and_then(|l| l.entry_point_call_id);
        if let Some(entry) = entry {
            tx.call_leg_for_update(company, entry).await?;
        }
        tx.call_leg_for_update(company, id).await
    }

    /// [`Self::lock_leg`] for a leg that must be there: another company's, or none, is not
    /// found.
    pub(crate) async fn locked_leg(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        id: CallId,
    ) -> Result<CallLeg> {
        self.lock_leg(tx, company, id)
            .await?
            .ok_or(DomainError::NotFound("call"))
    }

    /// The entry leg of the call `id` belongs to (`id` itself when it is one), locked.
    pub(crate) async fn locked_entry(
        &self,
        tx: &mut dyn WriteTx,
        company: CompanyId,
        id: CallId,
    ) -> Result<CallLeg> {
        let leg = self.locked_leg(tx, company, id).await?;
        match leg.entry_point_call_id {
            Some(e) => tx
                .call_leg_for_update(company, e)
                .await?
                .ok_or(DomainError::NotFound("call")),
            None => Ok(leg),
        }
    }

    pub(crate) async fn network_step(&self, event: NetworkEvent) -> Result<Step> {
        match event {
            NetworkEvent::Answered { company, leg, user } => {
                self.answered(company, leg, user).await
            }
            NetworkEvent::Rejected { company, leg, user } => {
                self.rejected(company, leg, user).await
            }
            NetworkEvent::Inbound { company, from, to } => Ok(self
                .inbound_step(company, crate::calls::InboundCall { from, to }, None)
                .await?
                .1),
            NetworkEvent::HungUp {
                company,
                leg,
                by_caller,
            } => {
                let found = self
                    .store
                    .call_leg(company, leg)
                    .await?
                    .ok_or(DomainError::NotFound("call"))?;
                match (found.state, by_caller, found.user_id) {
                    (CallState::Ringing | CallState::Calling, false, Some(user)) => {
                        self.rejected(company, leg, user).await
                    }
                    _ => self.ended(company, leg).await,
                }
            }
            NetworkEvent::Digits {
                company,
                leg,
                digits,
            } => self.pressed(company, leg, &digits).await,
            NetworkEvent::Hold { company, leg, on } => self.held(company, leg, on).await,
            NetworkEvent::Reached { company, leg } => self.reached(company, leg).await,
        }
    }

    /// The user's device answered the ringing leg: the leg and its entry leg connect; other
    /// operators rung for the same call stop ringing and are free again.
    pub(crate) async fn answered(
        &self,
        company: CompanyId,
        id: CallId,
        user: UserId,
    ) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut leg = self.locked_leg(tx.as_mut(), company, id).await?;
        if !rings(&leg, user) {
            return Err(DomainError::Conflict(
                "the call is not ringing that user".into(),
            ));
        }
        if leg.direction == Direction::Outbound && leg.entry_point_call_id.is_none() {
            let step = self.dial_out(tx.as_mut(), &leg, now).await?;
            tx.commit().await?;
            return Ok(step);
        }
        let mut step = Step::default();
        let was = leg.state;
        leg.state = CallState::Connected;
        leg.date_connected = Some(now);
        save(tx.as_mut(), &mut leg, was, now).await?;
        on_call(tx.as_mut(), company, user, "occupied", now).await?;
        tx.drop_timers_of(leg.id).await?;
        match leg.entry_point_call_id {
            Some(entry_id) => {
                let mut entry = tx
                    .call_leg_for_update(company, entry_id)
                    .await?
                    .ok_or(DomainError::NotFound("call"))?;
                let before = entry.state;
                entry.state = CallState::Connected;
                entry.date_connected = Some(now);
                entry.operator_call_id = Some(leg.id);
                entry.user_id = Some(user);
                save(tx.as_mut(), &mut entry, before, now).await?;
                tx.dequeue(entry.id).await?;
                tx.drop_timers_of(entry.id).await?;
                for mut other in tx.operator_legs_for_update(entry.id).await? {
                    if other.id == leg.id || other.state != CallState::Ringing {
                        continue;
                    }
                    self.stop_offer(tx.as_mut(), &mut other, Outcome::Cancelled, &mut step, now)
                        .await?;
                }
                step.effects.push(Effect::Bridge {
                    entry: entry.id,
                    operator: leg.id,
                });
            }
            None => step.effects.push(Effect::Bridge {
                entry: leg.id,
                operator: leg.id,
            }),
        }
        tx.commit().await?;
        Ok(step)
    }

    /// An operator leg stops ringing with `outcome`; the operator is free again.
    async fn stop_offer(
        &self,
        tx: &mut dyn WriteTx,
        leg: &mut CallLeg,
        outcome: Outcome,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        leg.end(CallState::Missed, outcome, now);
        save(tx, leg, CallState::Ringing, now).await?;
        tx.drop_timers_of(leg.id).await?;
        if let Some(user) = leg.user_id {
            tx.release_operator(user, leg.id).await?;
            step.freed.push(user);
        }
        step.effects.push(Effect::StopRinging { leg: leg.id });
        Ok(())
    }

    /// The user declined the ringing leg (or it rang out): the call moves on.
    pub(crate) async fn rejected(
        &self,
        company: CompanyId,
        id: CallId,
        user: UserId,
    ) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let leg = self.locked_leg(tx.as_mut(), company, id).await?;
        if !rings(&leg, user) {
            return Err(DomainError::Conflict(
                "the call is not ringing that user".into(),
            ));
        }
        let step = self.missed(tx.as_mut(), leg, now).await?;
        tx.commit().await?;
        Ok(step)
    }

    /// A ringing leg was not answered: an operator leg ends and its call goes on to the next
    /// operator, the queue or the group's fallback; a call to a user goes to voicemail.
    pub(super) async fn missed(
        &self,
        tx: &mut dyn WriteTx,
        mut leg: CallLeg,
        now: Timestamp,
    ) -> Result<Step> {
        let mut step = Step::default();
        match leg.entry_point_call_id {
            Some(entry_id) => {
                self.stop_offer(tx, &mut leg, Outcome::Missed, &mut step, now)
                    .await?;
                let mut entry = tx
                    .call_leg_for_update(leg.company_id, entry_id)
                    .await?
                    .ok_or(DomainError::NotFound("call"))?;
                if !entry.state.is_final() && !entry.state.is_live() {
                    self.carry_on(tx, &mut entry, &mut step, now).await?;
                }
            }
            None => {
                if let Some(user) = leg.user_id {
                    tx.release_operator(user, leg.id).await?;
                    step.freed.push(user);
                }
                tx.drop_timers_of(leg.id).await?;
                // An unanswered outbound call is missed (the user's device, or the outside
                // party once they answered, is hung up); a call to a user goes to voicemail.
                let before = leg.state;
                if leg.direction == Direction::Outbound {
                    leg.end(CallState::Missed, Outcome::Missed, now);
                    step.effects.push(Effect::HangUp { leg: leg.id });
                } else {
                    step.voicemail(&mut leg, now);
                    step.effects.push(Effect::StopRinging { leg: leg.id });
                }
                save(tx, &mut leg, before, now).await?;
            }
        }
        Ok(step)
    }

    /// Ends a call: both parties of a connected call, or a call still ringing or waiting whose
    /// caller gave up.
    pub(crate) async fn ended(&self, company: CompanyId, id: CallId) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut entry = self.locked_entry(tx.as_mut(), company, id).await?;
        if entry.state.is_final() {
            return Err(DomainError::invalid("the call has already ended"));
        }
        let mut step = Step::default();
        let before = entry.state;
        let outcome = if before.is_live() {
            Outcome::Answered
        } else {
            Outcome::Missed
        };
        let state = if before.is_live() {
            CallState::Hangup
        } else {
            CallState::Missed
        };
        tx.dequeue(entry.id).await?;
        tx.drop_timers_of(entry.id).await?;
        for mut op in tx.operator_legs_for_update(entry.id).await? {
            match op.state {
                CallState::Ringing => {
                    self.stop_offer(tx.as_mut(), &mut op, Outcome::Cancelled, &mut step, now)
                        .await?
                }
                CallState::Connected | CallState::Hold => {
                    let was = op.state;
                    op.end(CallState::Hangup, Outcome::Answered, now);
                    save(tx.as_mut(), &mut op, was, now).await?;
                    if let Some(user) = op.user_id {
                        tx.release_operator(user, op.id).await?;
                        self.wrap_up(tx.as_mut(), &entry, user, &mut step, now)
                            .await?;
                    }
                    step.effects.push(Effect::HangUp { leg: op.id });
                }
                _ => {}
            }
        }
        if entry.entry_point_call_id.is_none() && entry.operator_call_id.is_none() {
            // A call to a user: the user's device is on the entry leg itself.
            if let Some(user) = entry.user_id {
                tx.release_operator(user, entry.id).await?;
                if before.is_live() {
                    self.wrap_up(tx.as_mut(), &entry, user, &mut step, now)
                        .await?;
                } else {
                    step.freed.push(user);
                }
            }
        }
        entry.end(state, outcome, now);
        save(tx.as_mut(), &mut entry, before, now).await?;
        step.effects.push(Effect::HangUp { leg: entry.id });
        tx.commit().await?;
        Ok(step)
    }

    /// The caller pressed keys: in a hold queue, the callback and escape keys act.
    pub(crate) async fn pressed(
        &self,
        company: CompanyId,
        id: CallId,
        digits: &str,
    ) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut entry = self.locked_entry(tx.as_mut(), company, id).await?;
        let mut step = Step::default();
        if entry.state == CallState::Queued {
            if let Some(group) = match entry.group_id {
                Some(g) => self.store.group(company, g).await?,
                None => None,
            } {
                let q = &group.settings.hold_queue;
                for c in digits.chars() {
                    let position = tx.queue_position(group.id, entry.id).await?;
                    match routing::queue_digit(q, c, position) {
                        routing::DigitOutcome::Callback => {
                            tx.dequeue(entry.id).await?;
                            tx.drop_timers_of(entry.id).await?;
                            entry.callback_requested = true;
                            entry.end(CallState::Missed, Outcome::Missed, now);
                            save(tx.as_mut(), &mut entry, CallState::Queued, now).await?;
                            step.effects.push(Effect::HangUp { leg: entry.id });
                            break;
                        }
                        routing::DigitOutcome::Escape => {
                            tx.dequeue(entry.id).await?;
                            tx.drop_timers_of(entry.id).await?;
                            let route = group.settings.routing.open.clone();
                            self.act(
                                tx.as_mut(),
                                &mut entry,
                                &route.action,
                                route.target,
                                0,
                                &mut step,
                                now,
                            )
                            .await?;
                            break;
                        }
                        routing::DigitOutcome::Ignored => {}
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(step)
    }

    /// A party put the connected leg on hold, or took it off: `hold` and back to `connected`,
    /// the time on hold counted.
    pub(crate) async fn held(&self, company: CompanyId, id: CallId, on: bool) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut leg = self.locked_leg(tx.as_mut(), company, id).await?;
        let before = leg.state;
        match (on, before) {
            (true, CallState::Connected) => {
                leg.state = CallState::Hold;
                leg.hold_started = Some(now);
            }
            (false, CallState::Hold) => {
                if let Some(h) = leg.hold_started.take() {
                    leg.hold_ms += (now.as_millisecond() - h.as_millisecond()).max(0);
                }
                leg.state = CallState::Connected;
            }
            (true, CallState::Hold) | (false, CallState::Connected) => return Ok(Step::default()),
            _ => {
                return Err(DomainError::Conflict(
                    "only a connected call is put on hold".into(),
                ))
            }
        }
        save(tx.as_mut(), &mut leg, before, now).await?;
        tx.commit().await?;
        Ok(Step::default())
    }
}
