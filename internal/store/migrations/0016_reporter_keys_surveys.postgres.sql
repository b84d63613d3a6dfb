-- Issue 11: a reporter's own key instead of the contact as proof, walk-in
-- survey responses held for review, and indexes to find a photo's
-- references when the photos stored before cleaning are cleaned.

-- A keyed hash of the reporter's key; '' for reports filed with an
-- account, and for those filed before keys until one is asked for.
ALTER TABLE reports ADD COLUMN secret_hash TEXT NOT NULL DEFAULT '';

-- A response counts ('counted'), waits for an admin ('held') or was
-- turned down ('rejected'); only counted ones are in the figures. addr_key
-- is a keyed hash of a walk-in respondent's address and day.
ALTER TABLE survey_responses ADD COLUMN status TEXT NOT NULL DEFAULT 'counted';
ALTER TABLE survey_responses ADD COLUMN addr_key TEXT NOT NULL DEFAULT '';
CREATE INDEX survey_held ON survey_responses (region_code, service_point_id, day) WHERE status = 'held';
CREATE INDEX survey_walk_in ON survey_responses (region_code, service_point_id, created_at) WHERE channel = 'walk-in';

-- Walk-in responses per service point and hour or day, and per address
-- and day, counted atomically (period is an hour number).
CREATE TABLE survey_counters (
    key    TEXT NOT NULL,
    period BIGINT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (key, period)
);
CREATE INDEX survey_counters_period ON survey_counters (period);

CREATE INDEX report_photos_addr ON report_photos (addr);
CREATE INDEX uploads_addr ON uploads (addr);
CREATE INDEX brand_updates_photo ON brand_updates (photo) WHERE photo <> '';

-- The figures now count respondents per channel (invited after an
-- application or report, or walk-in): count the responses kept so far,
-- at their own level and rolled up to the agency and the region, as
-- pendopo.Rollup does.
INSERT INTO stats_monthly (region_code, agency, service_id, month, metric, n)
SELECT region_code, agency, COALESCE(service_id, 0),
       substr(month::text, 1, 4) || '-' || substr(month::text, 5, 2), 'ikm_channel:' || channel, COUNT(*)
FROM survey_responses WHERE true
GROUP BY region_code, agency, COALESCE(service_id, 0), month, channel
ON CONFLICT (region_code, agency, service_id, month, metric) DO UPDATE SET n = stats_monthly.n + excluded.n;

INSERT INTO stats_monthly (region_code, agency, service_id, month, metric, n)
SELECT region_code, agency, 0,
       substr(month::text, 1, 4) || '-' || substr(month::text, 5, 2), 'ikm_channel:' || channel, COUNT(*)
FROM survey_responses WHERE agency <> '' AND service_id IS NOT NULL AND service_id <> 0
GROUP BY region_code, agency, month, channel
ON CONFLICT (region_code, agency, service_id, month, metric) DO UPDATE SET n = stats_monthly.n + excluded.n;

INSERT INTO stats_monthly (region_code, agency, service_id, month, metric, n)
SELECT region_code, '', 0,
       substr(month::text, 1, 4) || '-' || substr(month::text, 5, 2), 'ikm_channel:' || channel, COUNT(*)
FROM survey_responses WHERE agency <> '' OR COALESCE(service_id, 0) <> 0
GROUP BY region_code, month, channel
ON CONFLICT (region_code, agency, service_id, month, metric) DO UPDATE SET n = stats_monthly.n + excluded.n;
