-- Online applications: the application with its clock, its timeline,
-- uploaded files (bytes live in the blob store), issued documents, the
-- regions' signing keys and the holidays region admins add.
CREATE TABLE applications (
    id              {{serial}} PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    region_code     TEXT NOT NULL REFERENCES regions (code),
    service_id      {{bigint}} NOT NULL REFERENCES services (id),
    service_version INTEGER NOT NULL,
    service_name    TEXT NOT NULL,
    agency          TEXT NOT NULL,
    applicant_id    {{bigint}} NOT NULL REFERENCES users (id),
    applicant_name  TEXT NOT NULL DEFAULT '',
    assisted_by     {{bigint}} REFERENCES users (id),
    status          TEXT NOT NULL,
    step            INTEGER NOT NULL DEFAULT 0,
    answers         {{bytes}},
    assignee        {{bigint}} REFERENCES users (id),
    deadline        INTEGER NOT NULL DEFAULT 0, -- days since 1970-01-01, 0 = no clock
    paused_since    INTEGER NOT NULL DEFAULT 0,
    paused_days     INTEGER NOT NULL DEFAULT 0,
    rev             INTEGER NOT NULL DEFAULT 1,
    document        TEXT NOT NULL DEFAULT '',
    idem_key        TEXT NOT NULL DEFAULT '',
    created_at      {{timestamp}} NOT NULL,
    submitted_at    {{timestamp}},
    updated_at      {{timestamp}} NOT NULL,
    closed_at       {{timestamp}}
);
CREATE INDEX applications_applicant ON applications (applicant_id, created_at);
CREATE INDEX applications_queue ON applications (region_code, agency, status, deadline);
CREATE UNIQUE INDEX applications_idem ON applications (applicant_id, idem_key) WHERE idem_key <> '';

CREATE TABLE application_events (
    id             {{serial}} PRIMARY KEY,
    application_id {{bigint}} NOT NULL REFERENCES applications (id),
    at             {{timestamp}} NOT NULL,
    actor_id       {{bigint}} REFERENCES users (id),
    actor_role     TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    step           INTEGER NOT NULL,
    status         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app ON application_events (application_id, id);

CREATE TABLE uploads (
    id             {{serial}} PRIMARY KEY,
    application_id {{bigint}} NOT NULL REFERENCES applications (id),
    field          TEXT NOT NULL,
    addr           TEXT NOT NULL,
    media          TEXT NOT NULL,
    size           {{bigint}} NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    uploaded_by    {{bigint}} REFERENCES users (id),
    created_at     {{timestamp}} NOT NULL
);
CREATE INDEX uploads_app ON uploads (application_id, addr);

CREATE TABLE documents (
    code           TEXT PRIMARY KEY,
    application_id {{bigint}} NOT NULL REFERENCES applications (id),
    region_code    TEXT NOT NULL,
    title          TEXT NOT NULL,
    digest         {{bytes}} NOT NULL UNIQUE,
    signature      {{bytes}} NOT NULL,
    key_id         TEXT NOT NULL,
    blob           TEXT NOT NULL,
    issued_at      {{timestamp}} NOT NULL
);

CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    public_key  {{bytes}} NOT NULL,
    sealed      {{bytes}} NOT NULL,
    created_at  {{timestamp}} NOT NULL,
    retired_at  {{timestamp}}
);
CREATE INDEX signing_keys_region ON signing_keys (region_code, created_at);

-- Holidays added to the shipped calendar: a region's own (region_code set)
-- or national ones of years imported later (region_code '').
CREATE TABLE region_holidays (
    region_code TEXT NOT NULL,
    day         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'libur_daerah',
    PRIMARY KEY (region_code, day)
);
