-- People, their roles, sessions, one-time codes, invitations, login
-- throttling, single sign-on identities and the hash-chained audit trail.
CREATE TABLE users (
    id            {{serial}} PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    email         TEXT UNIQUE,
    phone         TEXT UNIQUE,
    password_hash TEXT NOT NULL DEFAULT '',
    nik_enc       {{bytes}},
    confirmed_at  {{timestamp}},
    created_at    {{timestamp}} NOT NULL,
    updated_at    {{timestamp}} NOT NULL,
    deleted_at    {{timestamp}}
);

CREATE TABLE user_roles (
    user_id    {{bigint}} NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    agency     TEXT NOT NULL DEFAULT '',
    granted_by TEXT NOT NULL DEFAULT '',
    granted_at {{timestamp}} NOT NULL,
    PRIMARY KEY (user_id, kind, region, agency)
);
CREATE INDEX user_roles_region ON user_roles (region);

CREATE TABLE sessions (
    hash         TEXT PRIMARY KEY,
    user_id      {{bigint}} NOT NULL REFERENCES users (id),
    created_at   {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}} NOT NULL,
    expires_at   {{timestamp}} NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- auth_codes are one-time codes: confirming a contact, resetting a password.
CREATE TABLE auth_codes (
    id         {{serial}} PRIMARY KEY,
    user_id    {{bigint}} NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    used_at    {{timestamp}},
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX auth_codes_user ON auth_codes (user_id, purpose);

CREATE TABLE invitations (
    id          {{serial}} PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    agency      TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  {{timestamp}} NOT NULL,
    expires_at  {{timestamp}} NOT NULL,
    accepted_at {{timestamp}},
    accepted_by {{bigint}} REFERENCES users (id)
);
CREATE INDEX invitations_region ON invitations (region);

-- login_failures counts failed sign-ins per account and per IP address.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  {{timestamp}} NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE user_identities (
    provider TEXT NOT NULL,
    subject  TEXT NOT NULL,
    user_id  {{bigint}} NOT NULL REFERENCES users (id),
    PRIMARY KEY (provider, subject)
);

-- audit_log is append-only; each entry's hash covers the previous hash, so
-- editing or deleting an entry breaks the chain from there on.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    actor_user  BIGINT,
    actor_token BIGINT,
    role        TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    diff        TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_region ON audit_log (region, seq);
INSERT INTO counters (name, value) VALUES ('audit', 0);

-- A version can wait for review before it is published.
ALTER TABLE service_versions ADD COLUMN submitted_at {{timestamp}};
ALTER TABLE service_versions ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';

ALTER TABLE api_tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
