-- Labels on contacts: a customer of a WABA across all of its phone numbers (chat labels stay
-- per chat). Failed sends also keep the recipient's wa_id, and may have no person at all: a
-- send to a number that is not on this server (131026) has no customer account and no chat.

CREATE TABLE contact_labels (
    label_id  BIGINT NOT NULL REFERENCES labels (id),
    person_id BIGINT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (label_id, person_id)
);
CREATE INDEX contact_labels_person ON contact_labels (person_id);

ALTER TABLE failed_sends ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE failed_sends ADD COLUMN wa_id TEXT NOT NULL DEFAULT '';
UPDATE failed_sends f SET wa_id = a.wa_id FROM accounts a WHERE a.id = f.person_id;
CREATE INDEX failed_sends_business ON failed_sends (business_id, created_at);
