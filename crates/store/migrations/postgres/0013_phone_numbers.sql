-- A company's telephone numbers: its pool (status 'available', no target) and the numbers
-- assigned to users, offices, call centers, departments, rooms and call routers (status is the
-- target's kind). A number belongs to one company at a time: the number is the key.

CREATE TABLE phone_numbers (
    number TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    office_id BIGINT REFERENCES offices (id),
    area_code TEXT,
    line TEXT NOT NULL,
    status TEXT NOT NULL,
    target_id BIGINT,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    assigned_at BIGINT,
    -- A fax line of its target (never its primary, not among its phone numbers).
    is_fax BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'available') = (target_id IS NULL))
);
-- The company's list, and the list of one status, in number order.
CREATE INDEX phone_numbers_company ON phone_numbers (company_id, number);
CREATE INDEX phone_numbers_status ON phone_numbers (company_id, status, number);
-- A pool number of an area code.
CREATE INDEX phone_numbers_pool ON phone_numbers (company_id, area_code, number)
    WHERE status = 'available';
-- A target's numbers, primary first.
CREATE INDEX phone_numbers_target ON phone_numbers (status, target_id, is_primary, assigned_at);
-- At most one primary number per target.
CREATE UNIQUE INDEX phone_numbers_one_primary ON phone_numbers (status, target_id) WHERE is_primary;
