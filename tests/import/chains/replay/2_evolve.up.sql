ALTER TABLE events ADD COLUMN country String AFTER kind, DROP COLUMN tmp;
ALTER TABLE events MODIFY COLUMN bytes UInt64;
ALTER TABLE events MODIFY COLUMN bytes REMOVE DEFAULT;
ALTER TABLE events REMOVE TTL;
ALTER TABLE events RESET SETTING min_bytes_for_wide_part;
-- SELECT * is the columns of this moment: region, added below, is not in the view.
CREATE VIEW all_events AS SELECT * FROM events;
ALTER TABLE events ADD COLUMN region String, MODIFY ORDER BY (kind, ts, region);
-- The MV is made again: the new one writes per country too.
DROP VIEW kinds_mv;
ALTER TABLE kinds ADD COLUMN IF NOT EXISTS country String, MODIFY ORDER BY (kind, country);
CREATE MATERIALIZED VIEW kinds_mv TO kinds AS SELECT kind, country, count() AS n, sum(bytes) AS bytes FROM events GROUP BY kind, country;
CREATE TABLE IF NOT EXISTS kinds (x UInt8) ENGINE = Memory;
CREATE OR REPLACE TABLE scratch (a UInt8) ENGINE = Memory;
CREATE OR REPLACE TABLE scratch (a UInt16, b String) ENGINE = Log;
CREATE TABLE events_copy AS events;
CREATE TABLE kinds_copy AS kinds COMMENT 'a copy of kinds';
CREATE TABLE scratch_copy AS scratch ENGINE = Memory;
CREATE TABLE staged (a UInt8) ENGINE = Memory;
RENAME TABLE staged TO landed;
ALTER TABLE events ADD INDEX ix_user user_id TYPE minmax GRANULARITY 1;
ALTER TABLE events ADD INDEX ix_tmp country TYPE set(100) GRANULARITY 2;
ALTER TABLE events DROP INDEX ix_tmp;
ALTER TABLE events MODIFY COMMENT 'raw events';
