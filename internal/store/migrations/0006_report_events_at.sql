-- Feeds of what happened to reports in a time window (Open311's service
-- request updates) read events by time.
CREATE INDEX report_events_at ON report_events (at, id);
