-- SQLite's tables keyed by their primary key alone are stored without a
-- rowid from this version on; PostgreSQL's tables have no rowid, so
-- nothing changes here.
SELECT 1;
