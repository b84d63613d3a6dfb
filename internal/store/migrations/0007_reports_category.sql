-- Public lists and Open311 filter a region's reports by category, newest
-- first; with a million reports a walk of the region's index checking
-- each row's category is too slow.
CREATE INDEX reports_category ON reports (region_code, category, created_at);
