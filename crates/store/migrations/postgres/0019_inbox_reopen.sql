-- The inbox keeps up with customers: each business's rule for a resolved or pending chat
-- the customer writes in again (back to its agent, to its agent while online, or to the
-- unassigned queue), and the inbox worker's cursor into each business number's events.
-- Times are Unix milliseconds.

CREATE TABLE inbox_settings (
    waba_id    BIGINT PRIMARY KEY REFERENCES wabas (id),
    reopen_to  TEXT    NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE inbox_cursors (
    business_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    last_seq    BIGINT NOT NULL,
    lease_until BIGINT NOT NULL
);
