-- Monitoring counts the messages not yet sent, pending and dead, at every
-- scrape; sent messages are kept, so without this index that count reads
-- the whole outbox. sent_at is in the index so that SQLite reads nothing
-- else.
CREATE INDEX outbox_unsent ON outbox (dead, sent_at) WHERE sent_at IS NULL;
