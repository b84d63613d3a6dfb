-- Citizen reports: the report with its clock, its history (public and
-- internal lines), photos (bytes in the blob store), and each region's
-- routing of categories to agencies and its map box.
CREATE TABLE reports (
    id            {{serial}} PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    kind          TEXT NOT NULL,
    category      TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    service_id    {{bigint}} REFERENCES services (id),
    component     TEXT NOT NULL DEFAULT '',
    lat           {{double}},
    lng           {{double}},
    address       TEXT NOT NULL DEFAULT '',
    privacy       TEXT NOT NULL,
    status        TEXT NOT NULL,
    extended      {{bool}} NOT NULL DEFAULT {{false}},
    agency        TEXT NOT NULL DEFAULT '',
    reporter_id   {{bigint}} REFERENCES users (id),
    reporter_key  TEXT NOT NULL DEFAULT '',
    sealed        {{bytes}},
    received      INTEGER NOT NULL,
    disposed      INTEGER NOT NULL DEFAULT 0,
    due           INTEGER NOT NULL DEFAULT 0,
    answer        TEXT NOT NULL DEFAULT '',
    answered_at   {{timestamp}},
    rating        INTEGER NOT NULL DEFAULT 0,
    closed_at     {{timestamp}},
    merged_into   {{bigint}} REFERENCES reports (id),
    flagged       {{bool}} NOT NULL DEFAULT {{false}},
    flag_reason   TEXT NOT NULL DEFAULT '',
    escalated_at  {{timestamp}},
    rev           INTEGER NOT NULL DEFAULT 1,
    idem_key      TEXT NOT NULL DEFAULT '',
    created_at    {{timestamp}} NOT NULL,
    updated_at    {{timestamp}} NOT NULL
);
CREATE INDEX reports_region ON reports (region_code, created_at);
CREATE INDEX reports_work ON reports (region_code, agency, status, due);
CREATE INDEX reports_reporter ON reports (reporter_key, created_at);
CREATE INDEX reports_place ON reports (region_code, lat, lng);
CREATE UNIQUE INDEX reports_idem ON reports (reporter_key, idem_key) WHERE idem_key <> '';

CREATE TABLE report_events (
    id         {{serial}} PRIMARY KEY,
    report_id  {{bigint}} NOT NULL REFERENCES reports (id),
    at         {{timestamp}} NOT NULL,
    actor_id   {{bigint}} REFERENCES users (id),
    actor_role TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    agency     TEXT NOT NULL DEFAULT '',
    target     TEXT NOT NULL DEFAULT '',
    public     {{bool}} NOT NULL DEFAULT {{false}}
);
CREATE INDEX report_events_report ON report_events (report_id, id);

CREATE TABLE report_photos (
    report_id  {{bigint}} NOT NULL REFERENCES reports (id),
    addr       TEXT NOT NULL,
    media      TEXT NOT NULL,
    size       {{bigint}} NOT NULL,
    created_at {{timestamp}} NOT NULL,
    PRIMARY KEY (report_id, addr)
);

CREATE TABLE report_routes (
    region_code TEXT NOT NULL REFERENCES regions (code),
    category    TEXT NOT NULL,
    agency      TEXT NOT NULL,
    PRIMARY KEY (region_code, category)
);

CREATE TABLE region_bounds (
    region_code TEXT PRIMARY KEY REFERENCES regions (code),
    south       {{double}} NOT NULL,
    west        {{double}} NOT NULL,
    north       {{double}} NOT NULL,
    east        {{double}} NOT NULL
);
