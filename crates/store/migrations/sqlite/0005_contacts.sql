-- Labels on contacts: a customer of a WABA across all of its phone numbers (chat labels stay
-- per chat). Failed sends also keep the recipient's wa_id, and may have no person at all: a
-- send to a number that is not on this server (131026) has no customer account and no chat.

CREATE TABLE contact_labels (
    label_id  INTEGER NOT NULL REFERENCES labels (id),
    person_id INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (label_id, person_id)
);
CREATE INDEX contact_labels_person ON contact_labels (person_id);

CREATE TABLE failed_sends_next (
    id          INTEGER PRIMARY KEY,
    business_id INTEGER NOT NULL REFERENCES accounts (id),
    person_id   INTEGER REFERENCES accounts (id),
    wa_id       TEXT    NOT NULL,
    wamid       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    preview     TEXT    NOT NULL,
    error_code  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
INSERT INTO failed_sends_next (id, business_id, person_id, wa_id, wamid, kind, preview,
                               error_code, created_at)
    SELECT f.id, f.business_id, f.person_id, a.wa_id, f.wamid, f.kind, f.preview,
           f.error_code, f.created_at
    FROM failed_sends f JOIN accounts a ON a.id = f.person_id;
DROP TABLE failed_sends;
ALTER TABLE failed_sends_next RENAME TO failed_sends;
CREATE INDEX failed_sends_chat ON failed_sends (business_id, person_id, created_at);
CREATE INDEX failed_sends_business ON failed_sends (business_id, created_at);
