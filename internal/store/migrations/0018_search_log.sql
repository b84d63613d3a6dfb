-- The aggregate search log (issue 13): per day, region and normalised
-- query, how often it was searched, found nothing, and was searched
-- again. Region '' is a national search. No time of day, address or
-- account is kept; queries that may hold personal data are never logged.
CREATE TABLE search_counts (
    day         INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    query       TEXT NOT NULL,
    searches    INTEGER NOT NULL DEFAULT 0,
    empty       INTEGER NOT NULL DEFAULT 0,
    refined     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, query)
);
