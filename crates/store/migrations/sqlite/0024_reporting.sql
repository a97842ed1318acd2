-- Statistics exports and scheduled reports. An export job keeps its parameters (a JSON spec
-- with its fixed window), how far its build got (JSON progress) and its status; its CSV file
-- is the job's chunks in order, one per page of rows. Scheduled reports keep their next run,
-- NULL while disabled. Indexes for the pages exports read: a user's, an office's legs by
-- start, and a company's events of one kind by time. Flags are INTEGER 0/1 here (BOOLEAN on
-- PostgreSQL); JSON documents are TEXT.

CREATE TABLE stats_jobs (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    request_key TEXT NOT NULL,
    spec TEXT NOT NULL,
    status TEXT NOT NULL,
    progress TEXT NOT NULL,
    chunks BIGINT NOT NULL,
    rows_written BIGINT NOT NULL,
    failure TEXT,
    announce TEXT,
    reuse_until BIGINT,
    created_at BIGINT NOT NULL,
    completed_at BIGINT,
    expires_at BIGINT
);
CREATE INDEX stats_jobs_key ON stats_jobs (company_id, request_key, created_at);
CREATE INDEX stats_jobs_status ON stats_jobs (status, created_at, id);
CREATE INDEX stats_jobs_expires ON stats_jobs (expires_at);

CREATE TABLE stats_chunks (
    job_id BIGINT NOT NULL REFERENCES stats_jobs (id),
    seq BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE schedule_reports (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    endpoint_id BIGINT NOT NULL,
    report_type TEXT NOT NULL,
    frequency TEXT NOT NULL,
    at_hour BIGINT NOT NULL,
    on_day BIGINT NOT NULL,
    timezone TEXT NOT NULL,
    target_kind TEXT,
    target_id BIGINT,
    enabled INTEGER NOT NULL,
    next_run_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX schedule_reports_company ON schedule_reports (company_id, id);
CREATE INDEX schedule_reports_due ON schedule_reports (next_run_at, id);

CREATE INDEX calls_user_started ON calls (user_id, started_at, id);
CREATE INDEX calls_office_started ON calls (office_id, started_at, id);
CREATE INDEX events_company_kind ON events (company_id, kind, created_at, id);
