-- Live calls. A call leg is a row of `calls` (the table Dialgood's call logs read), now with
-- its state, the legs it belongs with, its parties, the times it rang, waited, connected and
-- ended, and what routing did (breadcrumbs, JSON). Operators hold calls through
-- `operator_claims` (one row per operator: only one transaction can give an operator a call);
-- `operator_activity` says since when an operator is idle, whether they wrap up, when they
-- were last offered a call. Groups' hold queues, timers that move calls on (ring timeouts,
-- queue steps, end of wrap-up), transcripts, and the simulator's devices.

ALTER TABLE calls ADD COLUMN state TEXT;
ALTER TABLE calls ADD COLUMN outcome TEXT;
ALTER TABLE calls ADD COLUMN target_kind TEXT;
ALTER TABLE calls ADD COLUMN target_id BIGINT;
ALTER TABLE calls ADD COLUMN entry_target_kind TEXT;
ALTER TABLE calls ADD COLUMN entry_target_id BIGINT;
ALTER TABLE calls ADD COLUMN group_id BIGINT;
ALTER TABLE calls ADD COLUMN office_id BIGINT;
ALTER TABLE calls ADD COLUMN user_id BIGINT;
ALTER TABLE calls ADD COLUMN master_call_id BIGINT;
ALTER TABLE calls ADD COLUMN entry_point_call_id BIGINT;
ALTER TABLE calls ADD COLUMN operator_call_id BIGINT;
ALTER TABLE calls ADD COLUMN date_rang BIGINT;
ALTER TABLE calls ADD COLUMN date_queued BIGINT;
ALTER TABLE calls ADD COLUMN date_connected BIGINT;
ALTER TABLE calls ADD COLUMN date_ended BIGINT;
ALTER TABLE calls ADD COLUMN detail TEXT;
ALTER TABLE calls ADD COLUMN updated_at BIGINT;

CREATE INDEX calls_company_started_id ON calls (company_id, started_at, id);
CREATE INDEX calls_company_target ON calls (company_id, target_kind, target_id, started_at, id);
CREATE INDEX calls_entry ON calls (entry_point_call_id);
CREATE INDEX calls_ringing_user ON calls (user_id, state);
CREATE INDEX calls_group_started ON calls (group_id, started_at);

CREATE TABLE operator_claims (
    user_id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    since BIGINT NOT NULL
);

CREATE TABLE operator_activity (
    user_id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    idle_since BIGINT NOT NULL,
    wrap_up_until BIGINT,
    last_offered_at BIGINT
);

CREATE TABLE call_queue (
    call_id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    group_id BIGINT NOT NULL,
    queued_at BIGINT NOT NULL
);
CREATE INDEX call_queue_group ON call_queue (group_id, queued_at, call_id);

CREATE TABLE call_timers (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    call_id BIGINT,
    user_id BIGINT,
    due_at BIGINT NOT NULL
);
CREATE INDEX call_timers_due ON call_timers (due_at, id);
CREATE INDEX call_timers_call ON call_timers (call_id);

CREATE TABLE call_transcripts (
    call_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    side TEXT NOT NULL,
    speaker TEXT,
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE sim_devices (
    user_id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    auto_answer BOOLEAN NOT NULL
);
