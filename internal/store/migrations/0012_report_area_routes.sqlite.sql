-- Rules that send the reports pinned in an area of a region to an agency,
-- before the category's routing; they apply in the order they were made.
CREATE TABLE report_area_routes (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    south       REAL NOT NULL,
    west        REAL NOT NULL,
    north       REAL NOT NULL,
    east        REAL NOT NULL,
    agency      TEXT NOT NULL
);
CREATE INDEX report_area_routes_region ON report_area_routes (region_code, id);
