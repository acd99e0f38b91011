-- Status updates and the contact list they are shared with. A person's contacts are the people
-- they have a direct chat with plus the ones on their editable list (`contact_list`). An update
-- keeps its audience as posted (mode and the chosen account ids, JSON); who sees it is decided
-- on read, so posting writes one row however many contacts there are. A business's update
-- carries its WABA; its audience is everyone with a chat with one of the WABA's numbers. The
-- bytes of a media update are the blob under the update's id. Times are Unix milliseconds.

CREATE TABLE contact_list (
    owner_id   BIGINT  NOT NULL REFERENCES accounts (id),
    contact_id BIGINT  NOT NULL REFERENCES accounts (id),
    added_at   BIGINT  NOT NULL,
    PRIMARY KEY (owner_id, contact_id)
);
CREATE INDEX contact_list_contact ON contact_list (contact_id);

CREATE TABLE status_updates (
    id            BIGINT PRIMARY KEY,
    author_id     BIGINT  NOT NULL REFERENCES accounts (id),
    waba_id       BIGINT,
    kind          TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    background    TEXT,
    font          TEXT,
    mime_type     TEXT,
    file_size     BIGINT  NOT NULL,
    audience_mode TEXT    NOT NULL,
    audience_ids  TEXT    NOT NULL,
    posted_at     BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX status_updates_author ON status_updates (author_id, expires_at);
CREATE INDEX status_updates_waba ON status_updates (waba_id, expires_at) WHERE waba_id IS NOT NULL;
CREATE INDEX status_updates_expiry ON status_updates (expires_at);

CREATE TABLE status_views (
    status_id BIGINT  NOT NULL REFERENCES status_updates (id) ON DELETE CASCADE,
    viewer_id BIGINT  NOT NULL REFERENCES accounts (id),
    viewed_at BIGINT  NOT NULL,
    reaction  TEXT,
    PRIMARY KEY (status_id, viewer_id)
);
CREATE INDEX status_views_viewer ON status_views (viewer_id, status_id);

CREATE TABLE status_mutes (
    owner_id  BIGINT  NOT NULL REFERENCES accounts (id),
    author_id BIGINT  NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (owner_id, author_id)
);

CREATE TABLE status_audiences (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    mode       TEXT    NOT NULL,
    ids        TEXT    NOT NULL
);
