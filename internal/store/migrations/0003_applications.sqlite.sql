-- Online applications: the application with its clock, its timeline,
-- uploaded files (bytes live in the blob store), issued documents, the
-- regions' signing keys and the holidays region admins add.
CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    region_code     TEXT NOT NULL REFERENCES regions (code),
    service_id      INTEGER NOT NULL REFERENCES services (id),
    service_version INTEGER NOT NULL,
    service_name    TEXT NOT NULL,
    agency          TEXT NOT NULL,
    applicant_id    INTEGER NOT NULL REFERENCES users (id),
    applicant_name  TEXT NOT NULL DEFAULT '',
    assisted_by     INTEGER REFERENCES users (id),
    status          TEXT NOT NULL,
    step            INTEGER NOT NULL DEFAULT 0,
    answers         BLOB,
    assignee        INTEGER REFERENCES users (id),
    deadline        INTEGER NOT NULL DEFAULT 0, -- days since 1970-01-01, 0 = no clock
    paused_since    INTEGER NOT NULL DEFAULT 0,
    paused_days     INTEGER NOT NULL DEFAULT 0,
    rev             INTEGER NOT NULL DEFAULT 1,
    document        TEXT NOT NULL DEFAULT '',
    idem_key        TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    submitted_at    TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL,
    closed_at       TIMESTAMP
);
CREATE INDEX applications_applicant ON applications (applicant_id, created_at);
CREATE INDEX applications_queue ON applications (region_code, agency, status, deadline);
CREATE UNIQUE INDEX applications_idem ON applications (applicant_id, idem_key) WHERE idem_key <> '';

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at             TIMESTAMP NOT NULL,
    actor_id       INTEGER REFERENCES users (id),
    actor_role     TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    step           INTEGER NOT NULL,
    status         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app ON application_events (application_id, id);

CREATE TABLE uploads (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    field          TEXT NOT NULL,
    addr           TEXT NOT NULL,
    media          TEXT NOT NULL,
    size           INTEGER NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    uploaded_by    INTEGER REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX uploads_app ON uploads (application_id, addr);

CREATE TABLE documents (
    code           TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    region_code    TEXT NOT NULL,
    title          TEXT NOT NULL,
    digest         BLOB NOT NULL UNIQUE,
    signature      BLOB NOT NULL,
    key_id         TEXT NOT NULL,
    blob           TEXT NOT NULL,
    issued_at      TIMESTAMP NOT NULL
);

CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    public_key  BLOB NOT NULL,
    sealed      BLOB NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    retired_at  TIMESTAMP
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
