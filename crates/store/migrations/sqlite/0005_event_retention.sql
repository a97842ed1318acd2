-- Indexes for retention pruning: finished deliveries by when they finished, and the deliveries
-- of an event (is any left?). Attempts go with their delivery, through delivery_attempts_delivery.
CREATE INDEX deliveries_finished ON deliveries (finished_at);
CREATE INDEX deliveries_event ON deliveries (event_id);
