-- How many times each name was a source's own name for its entity: an
-- entity is called by its most used name, so its name does not depend on
-- the order sources went in. Existing entities count their current name once.
ALTER TABLE entity_names ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
UPDATE entity_names SET uses = 1 WHERE (entity_id, name) IN (SELECT id, name FROM entities);
