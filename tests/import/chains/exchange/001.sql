-- A table rebuilt under another name, then swapped in: EXCHANGE TABLES
-- swaps the two names at once. Each MV keeps the names it was made with,
-- so keys_mv (TO keys) now fills the rebuilt table and keys_new_mv (TO
-- keys_new) the old one, which the chain then drops with its MV.
CREATE TABLE fields (project UInt32, name String, ts DateTime) ENGINE = MergeTree ORDER BY (project, ts);
CREATE TABLE keys (project UInt32, name String, hits UInt64) ENGINE = SummingMergeTree ORDER BY (project, name);
CREATE MATERIALIZED VIEW keys_mv TO keys AS SELECT project, name, count() AS hits FROM fields GROUP BY project, name;
CREATE TABLE keys_new (project UInt32, name String, day DateTime, hits UInt64) ENGINE = SummingMergeTree ORDER BY (project, name, day);
CREATE MATERIALIZED VIEW keys_new_mv TO keys_new AS SELECT project, name, toStartOfDay(ts) AS day, count() AS hits FROM fields GROUP BY project, name, day;
EXCHANGE TABLES keys AND keys_new;
DROP VIEW keys_new_mv;
DROP TABLE keys_new;
-- RENAME TABLE IF EXISTS: a table that is not there is no rename.
CREATE TABLE notes (n String) ENGINE = MergeTree ORDER BY n;
RENAME TABLE IF EXISTS notes_misspelt TO notes_fixed;
RENAME TABLE IF EXISTS notes TO notes_v2;
