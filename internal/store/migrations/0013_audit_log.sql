-- The audit trail as a transparency log: a Merkle tree (RFC 6962) over the
-- entries, whose signed checkpoints are published so that a rewrite of the
-- trail is caught by anyone who kept an earlier one.
--
-- salt is random text in each entry's leaf record, so that a leaf hash in a
-- public proof reveals nothing about the entry; entries older than the tree
-- have none.
ALTER TABLE audit_log ADD COLUMN salt TEXT NOT NULL DEFAULT '';

-- audit_tree holds the tree's hashes by stored-hash index, as
-- golang.org/x/mod/sumdb/tlog lays them out: the hashes of entry n are
-- written with it, so appending and proving read O(log n) rows. Entries
-- older than this table are added when the database is opened.
CREATE TABLE audit_tree (
    idx  {{bigint}} PRIMARY KEY,
    hash {{bytes}} NOT NULL
);

-- audit_keys are the instance's Ed25519 keys that sign checkpoints: the
-- verifier key in note form (public), and the signer key sealed with the
-- instance's secret key (context "audit-key:" || name).
CREATE TABLE audit_keys (
    id         {{bigint}} PRIMARY KEY,
    name       TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    sealed     {{bytes}} NOT NULL,
    created_at TEXT NOT NULL
);
