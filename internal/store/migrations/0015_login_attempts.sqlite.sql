-- login_failures gets an id: a sign-in attempt is now counted before its
-- password is checked (so that a burst of parallel guesses cannot all pass
-- the limit), and taken back by id when the password was right.
CREATE TABLE login_failures_new (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
INSERT INTO login_failures_new (key, at) SELECT key, at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_key ON login_failures (key, at);
