-- 0002: per-archive settings. The salt of `import --redact` lives here so
-- that one person's hashed e-mail is the same in every import.
CREATE TABLE _settings (
    key    TEXT PRIMARY KEY,
    value  BLOB
);
