-- Analytics: the template each template message was sent from (`template_analytics` counts
-- its receipts, button replies and cost), and `pricing_analytics` per UTC day beside the
-- half-hourly rollup, so that a 90-day query reads at most 90 rows per combination of
-- dimensions however many messages were rated. Triggers keep the daily rollup and the
-- templates' cost from the rows rating writes, in the same transaction.

CREATE TABLE template_sends (
    message_id  BIGINT PRIMARY KEY,
    waba_id     BIGINT NOT NULL,
    template_id BIGINT NOT NULL
);

CREATE TABLE pricing_rollup_daily (
    waba_id         BIGINT NOT NULL,
    day             BIGINT NOT NULL,
    phone_number_id BIGINT NOT NULL,
    country         TEXT   NOT NULL,
    category        TEXT   NOT NULL,
    pricing_type    TEXT   NOT NULL,
    tier            TEXT   NOT NULL,
    volume          BIGINT NOT NULL,
    cost_micros     BIGINT NOT NULL,
    PRIMARY KEY (waba_id, day, phone_number_id, country, category, pricing_type, tier)
);
-- The operator's revenue view reads every WABA's days.
CREATE INDEX pricing_rollup_daily_day ON pricing_rollup_daily (day);

CREATE FUNCTION pricing_rollup_daily_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pricing_rollup_daily (waba_id, day, phone_number_id, country, category,
            pricing_type, tier, volume, cost_micros)
        VALUES (NEW.waba_id, NEW.bucket - NEW.bucket % 86400, NEW.phone_number_id, NEW.country,
            NEW.category, NEW.pricing_type, NEW.tier, NEW.volume, NEW.cost_micros)
        ON CONFLICT (waba_id, day, phone_number_id, country, category, pricing_type, tier)
        DO UPDATE SET volume = pricing_rollup_daily.volume + excluded.volume,
            cost_micros = pricing_rollup_daily.cost_micros + excluded.cost_micros;
    ELSE
        UPDATE pricing_rollup_daily
        SET volume = volume + NEW.volume - OLD.volume,
            cost_micros = cost_micros + NEW.cost_micros - OLD.cost_micros
        WHERE waba_id = OLD.waba_id AND day = OLD.bucket - OLD.bucket % 86400
          AND phone_number_id = OLD.phone_number_id AND country = OLD.country
          AND category = OLD.category AND pricing_type = OLD.pricing_type AND tier = OLD.tier;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER pricing_rollup_daily AFTER INSERT OR UPDATE ON pricing_rollup
FOR EACH ROW EXECUTE FUNCTION pricing_rollup_daily_keep();

-- A rated template message adds its price to its template's day (the day it was delivered).
CREATE FUNCTION template_rollup_cost_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO template_rollup (waba_id, bucket, template_id, sent, delivered, read, clicked,
        cost_micros)
    SELECT t.waba_id, (NEW.at / 86400000) * 86400, t.template_id, 0, 0, 0, 0, -NEW.amount_micros
    FROM template_sends t WHERE t.message_id = NEW.message_id
    ON CONFLICT (waba_id, bucket, template_id)
    DO UPDATE SET cost_micros = template_rollup.cost_micros + excluded.cost_micros;
    RETURN NULL;
END
$$;

CREATE TRIGGER template_rollup_cost AFTER INSERT ON billing_ledger
FOR EACH ROW WHEN (NEW.kind = 'message' AND NEW.message_id IS NOT NULL)
EXECUTE FUNCTION template_rollup_cost_keep();
