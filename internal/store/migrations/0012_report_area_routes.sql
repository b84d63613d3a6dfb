-- Rules that send the reports pinned in an area of a region to an agency,
-- before the category's routing; they apply in the order they were made.
CREATE TABLE report_area_routes (
    id          {{serial}} PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    south       {{double}} NOT NULL,
    west        {{double}} NOT NULL,
    north       {{double}} NOT NULL,
    east        {{double}} NOT NULL,
    agency      TEXT NOT NULL
);
CREATE INDEX report_area_routes_region ON report_area_routes (region_code, id);
