-- Regions, agencies, service points and services with their versions.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('provinsi', 'kabupaten', 'kota')),
    parent_code TEXT REFERENCES regions (code),
    tagline     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    logo_type   TEXT NOT NULL DEFAULT '',
    logo        {{bytes}},
    logo_hash   TEXT NOT NULL DEFAULT '',
    updated_at  {{timestamp}} NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE agencies (
    id          {{serial}} PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    UNIQUE (region_code, slug)
);

CREATE TABLE service_points (
    id          {{serial}} PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    slug        TEXT NOT NULL,
    agency_id   {{bigint}} REFERENCES agencies (id),
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    lat         {{double}},
    lng         {{double}},
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    UNIQUE (region_code, slug)
);

CREATE TABLE service_kinds (
    code     TEXT PRIMARY KEY,
    name_id  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    category TEXT NOT NULL,
    weight   {{double}} NOT NULL DEFAULT 0
);

-- services holds the public (published) content of each service in
-- denormalised columns for lists, and as JSON for its page. A service that
-- was never published (version = 0) holds its latest draft instead.
CREATE TABLE services (
    id                 {{serial}} PRIMARY KEY,
    region_code        TEXT NOT NULL REFERENCES regions (code),
    slug               TEXT NOT NULL,
    agency_id          {{bigint}} NOT NULL REFERENCES agencies (id),
    kind               TEXT NOT NULL REFERENCES service_kinds (code),
    name               TEXT NOT NULL,
    summary            TEXT NOT NULL,
    category           TEXT NOT NULL,
    life_events        TEXT NOT NULL, -- "|kelahiran|kematian|"
    channels           TEXT NOT NULL, -- "|offline|online|"
    duration_days      INTEGER NOT NULL, -- 0 = same day
    fee_type           TEXT NOT NULL,
    fee_amount         BIGINT NOT NULL,
    requirements_count INTEGER NOT NULL,
    content            TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 0,
    latest_version     INTEGER NOT NULL,
    seq                BIGINT NOT NULL,
    created_at         {{timestamp}} NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    reviewed_at        {{timestamp}} NOT NULL,
    UNIQUE (region_code, slug)
);
CREATE INDEX services_kind ON services (kind);
CREATE INDEX services_agency ON services (agency_id);
CREATE INDEX services_seq ON services (seq);

CREATE TABLE service_versions (
    service_id   {{bigint}} NOT NULL REFERENCES services (id),
    number       INTEGER NOT NULL,
    content      TEXT NOT NULL,
    author       TEXT NOT NULL,
    note         TEXT NOT NULL,
    created_at   {{timestamp}} NOT NULL,
    published_at {{timestamp}},
    PRIMARY KEY (service_id, number)
);

-- counters.catalog orders changes to public content; updating its one row
-- serialises writers, so sequence order is commit order.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('catalog', 0);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           {{serial}} PRIMARY KEY,
    name         TEXT NOT NULL,
    region_code  TEXT REFERENCES regions (code),
    hash         TEXT NOT NULL UNIQUE,
    created_at   {{timestamp}} NOT NULL,
    last_used_at {{timestamp}},
    revoked_at   {{timestamp}}
);
