-- Secondary indexes dropped for a first load of many sources and not yet
-- built again: `kulisy ingest` builds whatever is listed here when it ends,
-- so a load that was killed leaves the list for the next one to finish.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    since TEXT NOT NULL
);
