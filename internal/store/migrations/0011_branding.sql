-- City branding: a region's priority sectors, the programs under them,
-- dated progress updates (photo bytes in the blob store) and the mapping
-- of report and service categories to sectors. Days are pendopo.Day.
-- Programs and links name their sector with its region, so that no row
-- can point at another region's sector.
CREATE TABLE brand_sectors (
    id          {{serial}} PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    rationale   TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  {{timestamp}} NOT NULL,
    updated_at  {{timestamp}} NOT NULL,
    UNIQUE (region_code, slug),
    UNIQUE (id, region_code)
);

CREATE TABLE brand_programs (
    id            {{serial}} PRIMARY KEY,
    region_code   TEXT NOT NULL,
    sector_id     {{bigint}} NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    target        TEXT NOT NULL DEFAULT '',
    indicator     TEXT NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    target_value  {{double}} NOT NULL DEFAULT 0,
    current_value {{double}} NOT NULL DEFAULT 0,
    budget        {{bigint}} NOT NULL DEFAULT 0,
    start_day     INTEGER NOT NULL,
    end_day       INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('rencana', 'berjalan', 'selesai', 'tertunda')),
    created_at    {{timestamp}} NOT NULL,
    updated_at    {{timestamp}} NOT NULL,
    FOREIGN KEY (sector_id, region_code) REFERENCES brand_sectors (id, region_code)
);
CREATE INDEX brand_programs_region ON brand_programs (region_code, sector_id);

CREATE TABLE brand_updates (
    id          {{serial}} PRIMARY KEY,
    program_id  {{bigint}} NOT NULL REFERENCES brand_programs (id),
    day         INTEGER NOT NULL,
    body        TEXT NOT NULL,
    value       {{double}},
    photo       TEXT NOT NULL DEFAULT '',
    photo_media TEXT NOT NULL DEFAULT '',
    photo_size  {{bigint}} NOT NULL DEFAULT 0,
    photo_alt   TEXT NOT NULL DEFAULT '',
    created_at  {{timestamp}} NOT NULL
);
CREATE INDEX brand_updates_program ON brand_updates (program_id, day);

CREATE TABLE brand_links (
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('laporan', 'layanan')),
    category    TEXT NOT NULL,
    sector_id   {{bigint}} NOT NULL,
    PRIMARY KEY (region_code, kind, category),
    FOREIGN KEY (sector_id, region_code) REFERENCES brand_sectors (id, region_code)
);
