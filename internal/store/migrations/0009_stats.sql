-- Service-level figures, counted as changes happen: one row per region,
-- agency ('' for the region itself), service (0 for none), month and
-- metric. Each change is counted at its own level and rolled up to the
-- agency and region levels, so a dashboard reads a few hundred rows of
-- one level. The indexes carry n, so reads never touch the table.
CREATE TABLE stats_monthly (
    region_code TEXT NOT NULL,
    agency      TEXT NOT NULL DEFAULT '',
    service_id  BIGINT NOT NULL DEFAULT 0,
    month       TEXT NOT NULL,
    metric      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, agency, service_id, month, metric)
);
-- A region's own figures, an agency's, a service's.
CREATE INDEX stats_monthly_scope ON stats_monthly (region_code, agency, service_id, month, metric, n);
-- Every region's own figures for the national ranking.
CREATE INDEX stats_monthly_level ON stats_monthly (agency, service_id, month, region_code, metric, n);
