-- Indexes for queries that filter in SQL: merged entities, dated
-- quotations, a version's factoids by kind (which serves every lookup by
-- version, so the index on the version alone goes), and the longest
-- stretch of days an event covers (to bound a window's scan).
CREATE INDEX entities_merged_into ON entities(merged_into);
CREATE INDEX quotations_days ON quotations(first_day);
CREATE INDEX factoids_version_kind ON factoids(version_id, kind);
DROP INDEX factoids_version;
CREATE INDEX events_span ON events(last_day - first_day);
