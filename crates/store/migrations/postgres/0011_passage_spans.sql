-- SQLite's search index keeps the spans of the paragraphs rather than a
-- copy of their words from this version on; PostgreSQL's keeps its own
-- table of paragraphs, so nothing changes here.
SELECT 1;
