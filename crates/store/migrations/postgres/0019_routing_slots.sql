-- The routing index: one row per group membership with what the routing strategies order by,
-- so that a routing decision reads a bounded range of one index instead of the whole group.
-- The store keeps it in the same transaction as every write that changes one of its facts:
-- membership (added, skill changed, removed, group deleted), duty status, operator claims and
-- activity (`crates/store/src/calls/slots.rs`).
--
-- `ready` is 1 when the operator could be offered a call now as far as the store knows: on
-- duty, duty state `available` (no duty row: on duty and available) and holding no call.
-- Wrap-up stays a time check the routing engine makes on the candidates. `on_duty` is 1 when
-- on duty whatever the state (for "is anyone on duty"). `position` is the join time;
-- `idle_since` and `last_offered_at` are 0 when never recorded (never offered sorts first).

CREATE TABLE routing_slots (
    group_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    ready INTEGER NOT NULL,
    on_duty INTEGER NOT NULL,
    position BIGINT NOT NULL,
    skill_level BIGINT NOT NULL,
    idle_since BIGINT NOT NULL,
    wrap_up_until BIGINT,
    last_offered_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- One index per candidate order (`routing::CandidateOrder`), in the engine's exact order.
CREATE INDEX routing_slots_position ON routing_slots (group_id, ready, position, user_id);
CREATE INDEX routing_slots_idle ON routing_slots (group_id, ready, idle_since, user_id);
CREATE INDEX routing_slots_skill ON routing_slots (group_id, ready, skill_level DESC, idle_since, user_id);
CREATE INDEX routing_slots_offered ON routing_slots (group_id, ready, last_offered_at, position, user_id);
CREATE INDEX routing_slots_on_duty ON routing_slots (group_id, on_duty);
CREATE INDEX routing_slots_user ON routing_slots (user_id);

INSERT INTO routing_slots (group_id, user_id, ready, on_duty, position, skill_level, idle_since,
    wrap_up_until, last_offered_at)
SELECT o.group_id, o.user_id,
    CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id
            AND NOT (d.on_duty = TRUE AND d.state = 'available'))
        OR EXISTS (SELECT 1 FROM operator_claims c WHERE c.user_id = o.user_id)
        THEN 0 ELSE 1 END,
    CASE WHEN EXISTS (SELECT 1 FROM operator_duty d WHERE d.user_id = o.user_id
            AND NOT (d.on_duty = TRUE))
        THEN 0 ELSE 1 END,
    o.added_at, o.skill_level, COALESCE(a.idle_since, 0), a.wrap_up_until,
    COALESCE(a.last_offered_at, 0)
FROM group_operators o LEFT JOIN operator_activity a ON a.user_id = o.user_id;
