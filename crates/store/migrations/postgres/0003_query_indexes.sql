-- Indexes for queries that filter in SQL, as in SQLite's version 3.
CREATE INDEX entities_merged_into ON entities(merged_into);
CREATE INDEX quotations_days ON quotations(first_day);
CREATE INDEX factoids_version_kind ON factoids(version_id, kind);
DROP INDEX factoids_version;
CREATE INDEX events_span ON events((last_day - first_day));
