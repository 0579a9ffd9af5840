-- SQLite's version 5 fills the clause of events written before version 4;
-- a PostgreSQL ledger has none such. The version is kept so both backends
-- count their schema the same way.
SELECT 1;
