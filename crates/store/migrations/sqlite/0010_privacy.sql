-- People's privacy settings: who sees their last seen (and online), their profile photo and
-- their about line. An account without a row has the defaults (everyone, for all three).
CREATE TABLE privacy_settings (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
    last_seen  TEXT    NOT NULL CHECK (last_seen IN ('everyone', 'contacts', 'nobody')),
    photo      TEXT    NOT NULL CHECK (photo IN ('everyone', 'contacts', 'nobody')),
    about      TEXT    NOT NULL CHECK (about IN ('everyone', 'contacts', 'nobody')),
    updated_at INTEGER NOT NULL
);
