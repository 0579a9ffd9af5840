-- Curation: every change a curator makes is a revision of one field of one
-- item, with who, when and why; the current value lives in the item's row.

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    -- quotation, event, factoid, entity or source
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    -- JSON values, before and after.
    previous TEXT NOT NULL,
    value TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX revisions_item ON revisions(item_kind, item_id);

-- automatic (as extraction made it), curated (changed by a curator),
-- added (made by a curator), rejected.
ALTER TABLE factoids ADD COLUMN status TEXT NOT NULL DEFAULT 'automatic';

ALTER TABLE sources ADD COLUMN reliability TEXT;
ALTER TABLE sources ADD COLUMN authorship TEXT;
