-- The audit log: who (the operator, a console agent, or a business token's WABA) did what
-- (method, route template, target ids) to which WABA, with the outcome, when, and from where.
-- Written by the HTTP middleware after each audited call; purged after the retention period.

CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY,
    at          BIGINT  NOT NULL,
    waba_id     BIGINT,
    actor_kind  TEXT    NOT NULL,
    actor_id    BIGINT,
    actor_email TEXT,
    method      TEXT    NOT NULL,
    route       TEXT    NOT NULL,
    target      TEXT,
    status      BIGINT  NOT NULL,
    client_addr TEXT,
    user_agent  TEXT
);
CREATE INDEX audit_log_waba ON audit_log (waba_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
