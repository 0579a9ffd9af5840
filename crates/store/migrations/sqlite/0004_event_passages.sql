-- The clause that tells each event, kept with it: a timeline then reads a
-- few hundred bytes per event instead of its version's whole text.
ALTER TABLE events ADD COLUMN passage TEXT;
