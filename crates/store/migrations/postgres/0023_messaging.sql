-- Messaging: text messages (SMS, and MMS whose attachment is a media file) sent and received
-- by the company's users, offices, call centers and departments; the company's SMS opt-out
-- list (kept by STOP/START texts); and the outside numbers the simulated network cannot reach.
-- Timestamps are Unix milliseconds; `to_numbers` is a JSON array of E.164 numbers.

CREATE TABLE sms_messages (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    direction TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    target_name TEXT NOT NULL,
    sender_user_id BIGINT REFERENCES users (id),
    from_number TEXT NOT NULL,
    to_numbers TEXT NOT NULL,
    body TEXT NOT NULL,
    media_id BIGINT REFERENCES media_files (id),
    media_type TEXT,
    media_size BIGINT,
    status TEXT NOT NULL,
    delivery_result TEXT,
    is_internal BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The company's messages of one direction in the order they were recorded.
CREATE INDEX sms_messages_list ON sms_messages (company_id, direction, created_at, id);

CREATE TABLE sms_opt_outs (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    state TEXT NOT NULL,
    keyword TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, number)
);
-- The opt-out list of one state in number order.
CREATE INDEX sms_opt_outs_state ON sms_opt_outs (company_id, state, number);

CREATE TABLE sim_unreachable_numbers (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    number TEXT NOT NULL,
    PRIMARY KEY (company_id, number)
);
