-- More business tools: sends the Cloud API accepted and then failed asynchronously (window
-- closed, media not fetched) to a known person, kept for the business side of the shared
-- inbox only; the person never sees them. Times are Unix milliseconds.

CREATE TABLE failed_sends (
    id          BIGINT PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES accounts (id),
    person_id   BIGINT NOT NULL REFERENCES accounts (id),
    wamid       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    preview     TEXT    NOT NULL,
    error_code  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX failed_sends_chat ON failed_sends (business_id, person_id, created_at);
