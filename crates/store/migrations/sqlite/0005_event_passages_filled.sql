-- Events written before version 4 get their clause, cut from their
-- version's text by byte offsets (the text cast to bytes), so every query
-- reads the clause from the event and none cuts text in SQL.
UPDATE events SET passage = (
    SELECT CAST(substr(CAST(v.text AS BLOB), f.span_start + 1, f.span_end - f.span_start) AS TEXT)
    FROM factoids f JOIN source_versions v ON v.id = f.version_id
    WHERE f.id = events.factoid_id
) WHERE passage IS NULL;
