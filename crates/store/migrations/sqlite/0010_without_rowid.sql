-- Tables keyed by their primary key alone are stored in that key's order,
-- without a rowid: one B-tree per table instead of a table and an index of
-- the same key, so every row is written once.
CREATE TABLE entity_names_k (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, key)
) WITHOUT ROWID;
INSERT INTO entity_names_k (entity_id, name, key, uses) SELECT entity_id, name, key, uses FROM entity_names;
DROP TABLE entity_names;
ALTER TABLE entity_names_k RENAME TO entity_names;
CREATE INDEX entity_names_key ON entity_names(key);

CREATE TABLE entity_links_k (
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    local INTEGER NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (version_id, local)
) WITHOUT ROWID;
INSERT INTO entity_links_k (version_id, local, entity_id, reason) SELECT version_id, local, entity_id, reason FROM entity_links;
DROP TABLE entity_links;
ALTER TABLE entity_links_k RENAME TO entity_links;
CREATE INDEX entity_links_entity ON entity_links(entity_id);

CREATE TABLE quotation_addressees_k (
    factoid_id INTEGER NOT NULL REFERENCES quotations(factoid_id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    PRIMARY KEY (factoid_id, entity_id)
) WITHOUT ROWID;
INSERT INTO quotation_addressees_k (factoid_id, entity_id) SELECT factoid_id, entity_id FROM quotation_addressees;
DROP TABLE quotation_addressees;
ALTER TABLE quotation_addressees_k RENAME TO quotation_addressees;
CREATE INDEX quotation_addressees_entity ON quotation_addressees(entity_id);

CREATE TABLE event_participants_k (
    factoid_id INTEGER NOT NULL REFERENCES events(factoid_id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,
    PRIMARY KEY (factoid_id, entity_id, role)
) WITHOUT ROWID;
INSERT INTO event_participants_k (factoid_id, entity_id, role) SELECT factoid_id, entity_id, role FROM event_participants;
DROP TABLE event_participants;
ALTER TABLE event_participants_k RENAME TO event_participants;
CREATE INDEX event_participants_entity ON event_participants(entity_id);
