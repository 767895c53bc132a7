-- A dictionary loaded from a table, and an MV that looks names up in it.
CREATE DATABASE dct;
CREATE TABLE dct.names (k UInt64, name String, tier UInt8) ENGINE = MergeTree ORDER BY k;
CREATE DICTIONARY dct.names_dict (`k` UInt64, `name` String DEFAULT '?' INJECTIVE, tier UInt8 DEFAULT 0)
PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'names' DB 'dct')) LAYOUT(HASHED()) LIFETIME(0) COMMENT 'names by key';
CREATE DICTIONARY dct.old_dict (k UInt64, name String) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'names' DB 'dct')) LAYOUT(FLAT()) LIFETIME(MIN 0 MAX 60);
CREATE TABLE dct.events (k UInt64, v UInt32) ENGINE = MergeTree ORDER BY k;
CREATE TABLE dct.enriched (k UInt64, name String, tier UInt8, v UInt32) ENGINE = MergeTree ORDER BY k;
CREATE MATERIALIZED VIEW dct.enrich_mv TO dct.enriched AS
SELECT k, dictGet('dct.names_dict', 'name', k) AS name, dictGetOrDefault('dct.names_dict', 'tier', k, toUInt8(9)) AS tier, v FROM dct.events;
