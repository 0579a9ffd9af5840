-- The ledger, version 1: sources and their versions, entities resolved
-- across sources, and what extraction found in each version, as factoids
-- anchored to spans of the version's canonical text.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    -- Where the source came from: the path given to `kulisy ingest`.
    locator TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE source_versions (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    format TEXT NOT NULL,
    original BLOB NOT NULL,
    text TEXT NOT NULL,
    title TEXT,
    authors TEXT NOT NULL,
    -- The document's own date (written, delivered or published), ISO 8601.
    document_date TEXT,
    metadata TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    ingested_by TEXT NOT NULL,
    UNIQUE (source_id, version),
    UNIQUE (source_id, content_hash)
);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT,
    external_id TEXT UNIQUE,
    -- A merged-away entity points at its survivor.
    merged_into INTEGER REFERENCES entities(id),
    created_at TEXT NOT NULL
);
CREATE INDEX entities_name ON entities(name);

-- Every name an entity goes by, lowercased for matching.
CREATE TABLE entity_names (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity_id, key)
);
CREATE INDEX entity_names_key ON entity_names(key);

-- Which entity each entity of a version's extraction was resolved to, and why.
CREATE TABLE entity_links (
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    local INTEGER NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (version_id, local)
);
CREATE INDEX entity_links_entity ON entity_links(entity_id);

CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES entities(id),
    member_id INTEGER NOT NULL REFERENCES entities(id),
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    PRIMARY KEY (group_id, member_id, version_id)
);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    entity_id INTEGER REFERENCES entities(id),
    kind TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id);

-- A factoid: one assertion a source makes, anchored to its passage, with
-- the method that found it, how sure it is, and who made it when.
CREATE TABLE factoids (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES source_versions(id),
    kind TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    method TEXT NOT NULL,
    confidence REAL NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    modified_by TEXT,
    modified_at TEXT
);
CREATE INDEX factoids_version ON factoids(version_id);

CREATE TABLE quotations (
    factoid_id INTEGER PRIMARY KEY REFERENCES factoids(id),
    words TEXT NOT NULL,
    speaker_id INTEGER REFERENCES entities(id),
    written INTEGER NOT NULL,
    -- Entity ids, speaker first: who said it, who reported that, and so on.
    reporting_chain TEXT NOT NULL,
    -- The date the narrative gives the words, when it gives one (ISO 8601 days).
    first_day INTEGER,
    last_day INTEGER
);
CREATE INDEX quotations_speaker ON quotations(speaker_id);

CREATE TABLE quotation_addressees (
    factoid_id INTEGER NOT NULL REFERENCES quotations(factoid_id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    PRIMARY KEY (factoid_id, entity_id)
);
CREATE INDEX quotation_addressees_entity ON quotation_addressees(entity_id);

CREATE TABLE events (
    factoid_id INTEGER PRIMARY KEY REFERENCES factoids(id),
    kind TEXT NOT NULL,
    trigger_text TEXT NOT NULL,
    date_text TEXT,
    date_value TEXT,
    -- Day numbers (days since 1970-01-01) the date may fall on.
    first_day INTEGER,
    last_day INTEGER,
    date_source TEXT NOT NULL,
    inferred TEXT,
    new_date_value TEXT,
    place_text TEXT,
    home_of INTEGER REFERENCES entities(id),
    -- Position on the document's timeline.
    timeline_rank INTEGER NOT NULL
);
CREATE INDEX events_days ON events(first_day);

CREATE TABLE event_participants (
    factoid_id INTEGER NOT NULL REFERENCES events(factoid_id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,
    PRIMARY KEY (factoid_id, entity_id, role)
);
CREATE INDEX event_participants_entity ON event_participants(entity_id);

-- Full-text search over the paragraphs of every version.
CREATE VIRTUAL TABLE passages USING fts5(text, version_id UNINDEXED, span_start UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
