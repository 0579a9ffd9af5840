-- Mentions, one row per version, entity and kind of mention, with their
-- spans packed as "start:end start:end ..." in text order, as in SQLite's
-- version 8.
CREATE TABLE mention_sets (
    version_id BIGINT NOT NULL REFERENCES source_versions(id),
    entity_id BIGINT REFERENCES entities(id),
    kind TEXT NOT NULL,
    n BIGINT NOT NULL,
    spans TEXT NOT NULL
);
INSERT INTO mention_sets (version_id, entity_id, kind, n, spans)
    SELECT version_id, entity_id, kind, COUNT(*), string_agg(span_start || ':' || span_end, ' ' ORDER BY span_start)
    FROM mentions
    GROUP BY version_id, entity_id, kind;
DROP TABLE mentions;
ALTER TABLE mention_sets RENAME TO mentions;
CREATE INDEX mentions_entity ON mentions(entity_id);
