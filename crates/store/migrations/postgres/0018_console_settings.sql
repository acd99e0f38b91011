-- Images a business uploaded from the console for its catalog's products. Product images are
-- public by design (the shop, the public catalog page and link previews show them), so these
-- uploads are readable by anyone at `/catalog/images/{media_id}`; other media never are.
CREATE TABLE catalog_images (
    media_id   BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL REFERENCES wabas (id),
    mime_type  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX catalog_images_waba ON catalog_images (waba_id, created_at);
