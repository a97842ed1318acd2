//! Pruning: finished deliveries with their attempts, dispatched events, websocket frames and
//! expired idempotency records are deleted after their retention, in bounded batches.

use jiff::Timestamp;
use switchboard_domain::events::event::Pruned;
use switchboard_domain::Result;

use super::{Worker, PRUNE_BATCH};

/// The kinds of records pruned.
#[derive(Clone, Copy)]
enum Kind {
    Deliveries,
    Events,
    Frames,
    IdempotencyKeys,
}

impl Worker {
    /// Deletes every record past its retention at `now` (see [`Retention`]), batch by batch.
    pub async fn prune(&self, now: Timestamp) -> Result<Pruned> {
        Ok(self.prune_turn(now, None).await?.0)
    }

    /// Prunes up to `max_batches` batches of each kind; `true` when some kind has more left.
    pub(super) async fn prune_turn(
        &self,
        now: Timestamp,
        max_batches: Option<usize>,
    ) -> Result<(Pruned, bool)> {
        let store = self.core.store();
        let keep = self.config.retention;
        let events_before = now.saturating_sub(keep.events).unwrap_or(now);
        let keys_before = now.saturating_sub(keep.idempotency).unwrap_or(now);
        let mut pruned = Pruned::default();
        let mut more = false;
        // Deliveries first: the events they leave behind go in the same turn.
        for kind in [
            Kind::Deliveries,
            Kind::Events,
            Kind::Frames,
            Kind::IdempotencyKeys,
        ] {
            let mut batches = 0;
            loop {
                let n = match kind {
                    Kind::Deliveries => {
                        let (deliveries, attempts) =
                            store.prune_deliveries(events_before, PRUNE_BATCH).await?;
                        pruned.attempts += attempts;
                        pruned.deliveries += deliveries;
                        deliveries
                    }
                    Kind::Events => {
                        let n = store.prune_events(events_before, PRUNE_BATCH).await?;
                        pruned.events += n;
                        n
                    }
                    Kind::Frames => {
                        let n = store.prune_frames(events_before, PRUNE_BATCH).await?;
                        pruned.frames += n;
                        n
                    }
                    Kind::IdempotencyKeys => {
                        let n = store
                            .prune_idempotency_keys(keys_before, PRUNE_BATCH)
                            .await?;
                        pruned.idempotency_keys += n;
                        n
                    }
                };
                batches += 1;
                if n < u64::from(PRUNE_BATCH) {
                    break;
                }
                if max_batches.is_some_and(|max| batches >= max) {
                    more = true;
                    break;
                }
            }
        }
        Ok((pruned, more))
    }
}
