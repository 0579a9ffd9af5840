-- The clause that tells each event, kept with it, as in SQLite's version 4.
ALTER TABLE events ADD COLUMN passage TEXT;
