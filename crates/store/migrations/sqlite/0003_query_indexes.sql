-- Indexes for queries that filter in SQL: merged entities, dated
-- quotations, a version's factoids by kind.
CREATE INDEX entities_merged_into ON entities(merged_into);
CREATE INDEX quotations_days ON quotations(first_day);
CREATE INDEX factoids_version_kind ON factoids(version_id, kind);
