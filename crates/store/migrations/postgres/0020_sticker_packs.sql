-- Sticker packs a business publishes (their stickers' bytes are blobs under the sticker ids),
-- the packs people added, and each person's media copy of a sticker they sent (keyed by the
-- pack sticker's id or, for Wasla's own pack, the sticker's name). Times are Unix milliseconds.

CREATE TABLE sticker_packs (
    id         BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL REFERENCES wabas (id),
    name       TEXT    NOT NULL,
    cover_id   BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sticker_packs_waba ON sticker_packs (waba_id);

CREATE TABLE stickers (
    id        BIGINT PRIMARY KEY,
    pack_id   BIGINT NOT NULL REFERENCES sticker_packs (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    animated  BIGINT  NOT NULL,
    file_size BIGINT NOT NULL,
    sha256    TEXT    NOT NULL
);
CREATE INDEX stickers_pack ON stickers (pack_id, position);

CREATE TABLE sticker_pack_adds (
    person_id BIGINT NOT NULL REFERENCES accounts (id),
    pack_id   BIGINT NOT NULL REFERENCES sticker_packs (id) ON DELETE CASCADE,
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (person_id, pack_id)
);

CREATE TABLE sticker_copies (
    person_id   BIGINT NOT NULL REFERENCES accounts (id),
    sticker_key TEXT    NOT NULL,
    media_id    BIGINT NOT NULL,
    PRIMARY KEY (person_id, sticker_key)
);
