-- Mentions, one row per version, entity and kind of mention, with their
-- spans packed as "start:end start:end ..." in text order: a person named
-- a hundred times in a source is one row, not a hundred, and the count is
-- kept beside the spans.
CREATE TABLE mention_sets (
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    entity_id INTEGER REFERENCES entities(id),
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    spans TEXT NOT NULL
);
INSERT INTO mention_sets (version_id, entity_id, kind, n, spans)
    SELECT version_id, entity_id, kind, COUNT(*), group_concat(span_start || ':' || span_end, ' ')
    FROM (SELECT * FROM mentions ORDER BY version_id, span_start)
    GROUP BY version_id, entity_id, kind;
DROP TABLE mentions;
ALTER TABLE mention_sets RENAME TO mentions;
CREATE INDEX mentions_entity ON mentions(entity_id);
