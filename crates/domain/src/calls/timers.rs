//! What timers and freed operators do to calls: ring timeouts, queue steps, router fallbacks
//! and the end of wrap-up, each in one transaction; the start of wrap-up when an operator's
//! call ends; and offering waiting calls to an operator who became free.

use jiff::Timestamp;

use crate::calls::control::{after, on_call, save};
use crate::calls::leg::{CallLeg, CallState};
use crate::calls::timer::{Timer, TimerKind};
use crate::calls::{Calls, Step};
use crate::ids::UserId;
use crate::store::WriteTx;
use crate::Result;

impl Calls<'_> {
    /// The operator's call ended: idle from now, after the group's wrap-up time if it has one.
    pub(crate) async fn wrap_up(
        &self,
        tx: &mut dyn WriteTx,
        entry: &CallLeg,
        user: UserId,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let wrap = match entry.group_id {
            Some(g) => self
                .store
                .group(entry.company_id, g)
                .await?
                .map_or(0, |g| g.settings.max_wrap_up_seconds),
            None => 0,
        };
        let status = if wrap == 0 { "available" } else { "wrapup" };
        on_call(tx, entry.company_id, user, status, now).await?;
        if wrap == 0 {
            tx.operator_idle(entry.company_id, user, now, None).await?;
            step.freed.push(user);
        } else {
            let until = after(now, wrap);
            tx.operator_idle(entry.company_id, user, now, Some(until))
                .await?;
            let timer = Timer::new(
                entry.company_id,
                TimerKind::WrapUpEnd,
                None,
                Some(user),
                until,
            );
            tx.insert_timer(&timer).await?;
        }
        Ok(())
    }

    /// Fires one timer (unless another process fired it first).
    pub(crate) async fn fire(&self, timer: &Timer) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut step = Step::default();
        if !tx.take_timer(timer.id).await? {
            return Ok(step);
        }
        match (timer.kind, timer.call_id, timer.user_id) {
            (TimerKind::RingTimeout, Some(call), _) => {
                if let Some(leg) = self.lock_leg(tx.as_mut(), timer.company_id, call).await? {
                    if matches!(leg.state, CallState::Ringing | CallState::Calling) {
                        step = self.missed(tx.as_mut(), leg, now).await?;
                    }
                }
            }
            (TimerKind::QueueTick, Some(call), _) => {
                if let Some(mut entry) = tx.call_leg_for_update(timer.company_id, call).await? {
                    if entry.state == CallState::Queued {
                        self.queue_tick(tx.as_mut(), &mut entry, &mut step, now)
                            .await?;
                    }
                }
            }
            (TimerKind::RouterFallback, Some(call), _) => {
                if let Some(mut entry) = tx.call_leg_for_update(timer.company_id, call).await? {
                    self.router_fallback(tx.as_mut(), &mut entry, &mut step, now)
                        .await?;
                }
            }
            (TimerKind::WrapUpEnd, _, Some(user)) => {
                tx.operator_idle(timer.company_id, user, now, None).await?;
                on_call(tx.as_mut(), timer.company_id, user, "available", now).await?;
                step.freed.push(user);
            }
            _ => {}
        }
        tx.commit().await?;
        Ok(step)
    }

    /// Offers waiting calls of the user's groups to them, now that they are free.
    pub(crate) async fn dispatch_waiting(&self, user: UserId) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut step = Step::default();
        'groups: for group in tx.groups_waiting_for(user).await? {
            for call in tx.queued_calls(group, 5).await? {
                let Some(mut entry) = tx.call_leg_for_update_any(call).await? else {
                    continue;
                };
                let rings = tx
                    .operator_legs_for_update(entry.id)
                    .await?
                    .iter()
                    .any(|l| l.state == CallState::Ringing);
                if entry.state != CallState::Queued || rings {
                    continue;
                }
                let offered = self.offer(tx.as_mut(), &mut entry, &mut step, now).await?;
                save(tx.as_mut(), &mut entry, CallState::Queued, now).await?;
                if offered {
                    break 'groups;
                }
            }
        }
        tx.commit().await?;
        Ok(step)
    }
}
