-- The outbox of email and SMS waiting to be sent (or sent), and people's
-- in-app notifications.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    key           TEXT NOT NULL UNIQUE,
    user_id       INTEGER REFERENCES users (id) ON DELETE CASCADE,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP,
    last_error    TEXT NOT NULL DEFAULT '',
    dead          INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1))
);
-- outbox_due holds only the messages still to send, so the worker's scan
-- stays small however many were sent.
CREATE INDEX outbox_due ON outbox (next_at, id) WHERE sent_at IS NULL AND NOT dead;
CREATE INDEX outbox_user ON outbox (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title_id   TEXT NOT NULL,
    title_en   TEXT NOT NULL DEFAULT '',
    body_id    TEXT NOT NULL DEFAULT '',
    body_en    TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
