//! A call in a group's hold queue: announcements of its place, its hold limit, and what the
//! group's routing says when no operator takes a call (voicemail, hang up, pass it on).

use jiff::Timestamp;

use crate::calls::control::{after, save};
use crate::calls::leg::{CallLeg, CallState, Outcome, Party, PartyKind};
use crate::calls::timer::{Timer, TimerKind};
use crate::calls::{Calls, Effect, Step};
use crate::routing;
use crate::store::WriteTx;
use crate::Result;

impl Calls<'_> {
    /// A queued call's timer: announce its place, or leave the queue at its limit.
    pub(crate) async fn queue_tick(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let Some((group, tz)) = self
            .group_with_zone(entry.company_id, entry.group_id)
            .await?
        else {
            return Ok(());
        };
        let open = routing::openness(&group.settings, &tz, now).open;
        let q = &group.settings.hold_queue;
        let queued_at = entry.date_queued.unwrap_or(now);
        let waited =
            u32::try_from((now.as_second() - queued_at.as_second()).max(0)).unwrap_or(u32::MAX);
        let position = tx.queue_position(group.id, entry.id).await?;
        match routing::queue_step(q, waited, position, None, open) {
            routing::QueueStep::Overflow { .. } => {
                tx.dequeue(entry.id).await?;
                tx.drop_timers_of(entry.id).await?;
                let route = if open {
                    group.settings.routing.open.clone()
                } else {
                    group.settings.routing.closed.clone()
                };
                return self
                    .act(tx, entry, &route.action, route.target, 0, step, now)
                    .await;
            }
            routing::QueueStep::Announce { position } => step.effects.push(Effect::Play {
                leg: entry.id,
                prompt: format!("You are number {position} in the queue."),
            }),
            routing::QueueStep::Stay => {}
        }
        let next = q
            .announcement_interval_seconds
            .min(q.max_hold_seconds.saturating_sub(waited))
            .max(1);
        let timer = Timer::new(
            entry.company_id,
            TimerKind::QueueTick,
            Some(entry.id),
            None,
            after(now, next),
        );
        tx.insert_timer(&timer).await
    }

    /// Does what a group's routing says when no operator takes the call: voicemail, hang up,
    /// or pass the call on to another target.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn act(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        action: &str,
        target: Option<(i64, String)>,
        hops: u8,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        let passed_on = match (action, target) {
            ("bridge_target" | "department" | "operator" | "person", Some((id, kind))) => {
                PartyKind::from_target_name(&kind).map(|kind| Party { kind, id })
            }
            _ => None,
        };
        match passed_on {
            Some(next) => {
                entry.is_transferred = true;
                entry.group_id = None;
                if entry.state == CallState::Queued {
                    entry.state = CallState::Ringing;
                }
                save(tx, entry, before, now).await?;
                Box::pin(self.route(tx, entry, next, hops + 1, step, now)).await
            }
            None if action == "disabled" => {
                entry.end(CallState::Missed, Outcome::Missed, now);
                step.effects.push(Effect::HangUp { leg: entry.id });
                save(tx, entry, before, now).await
            }
            None => {
                step.voicemail(entry, now);
                save(tx, entry, before, now).await
            }
        }
    }
}
