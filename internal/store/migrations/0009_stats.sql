-- Service-level figures, counted as changes happen: one row per region,
-- month, agency ('' for the region itself), service (0 for none) and
-- metric, summed by dashboards.
CREATE TABLE stats_monthly (
    region_code TEXT NOT NULL,
    month       TEXT NOT NULL,
    agency      TEXT NOT NULL DEFAULT '',
    service_id  BIGINT NOT NULL DEFAULT 0,
    metric      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, month, agency, service_id, metric)
);
CREATE INDEX stats_monthly_month ON stats_monthly (month, region_code);
CREATE INDEX stats_monthly_agency ON stats_monthly (region_code, agency, month);
