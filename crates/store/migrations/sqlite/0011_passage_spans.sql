-- The paragraphs indexed for search are spans of their version's text: the
-- full-text index keeps the words' positions, not a second copy of the
-- words. It reads a paragraph back through `passage_texts` (byte offsets,
-- as every span of the ledger) only to make a snippet.
CREATE TABLE passage_spans (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL
);
INSERT INTO passage_spans (id, version_id, span_start, span_end)
    SELECT rowid, version_id, span_start, span_start + length(CAST(text AS BLOB)) FROM passages;
DROP TABLE passages;
CREATE VIEW passage_texts AS
    SELECT p.id AS id, CAST(substr(CAST(v.text AS BLOB), p.span_start + 1, p.span_end - p.span_start) AS TEXT) AS text
    FROM passage_spans p JOIN source_versions v ON v.id = p.version_id;
CREATE VIRTUAL TABLE passages USING fts5(text, content = 'passage_texts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO passages (passages) VALUES ('rebuild');
