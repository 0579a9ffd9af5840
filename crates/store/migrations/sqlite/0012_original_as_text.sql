-- A version's original bytes are kept only when they differ from its
-- canonical text's UTF-8 bytes: an empty `original` stands for the text
-- itself (an empty original has an empty text, so nothing is ambiguous).
UPDATE source_versions SET original = X'' WHERE original = CAST(text AS BLOB);
