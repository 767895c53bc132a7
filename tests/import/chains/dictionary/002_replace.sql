-- Replaced with another default; the other one dropped.
CREATE OR REPLACE DICTIONARY dct.names_dict (k UInt64, name String DEFAULT 'none', tier UInt8 DEFAULT 0)
PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'names' DB 'dct')) LAYOUT(HASHED()) LIFETIME(0) COMMENT 'names by key';
DROP DICTIONARY dct.old_dict;
CREATE VIEW dct.all_names AS SELECT * FROM dct.names_dict;
