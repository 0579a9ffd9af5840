-- Whether a version is its source's latest: queries read the latest
-- versions only, and a flag the planner can count reads better than a
-- subquery per source.
ALTER TABLE source_versions ADD COLUMN latest BIGINT NOT NULL DEFAULT 1;
UPDATE source_versions SET latest = 0
WHERE version < (SELECT MAX(version) FROM source_versions x WHERE x.source_id = source_versions.source_id);
