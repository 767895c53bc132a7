CREATE DATABASE app;
CREATE DATABASE scratch;
CREATE TABLE scratch.tmp (a UInt8) ENGINE = Memory;
USE app;
CREATE TABLE visits (
    ts DateTime,
    site String,
    user_id UInt64,
    ms UInt32,
    ua String,
    CONSTRAINT positive_ms CHECK ms >= 0
) ENGINE = MergeTree ORDER BY (site, ts);
ALTER TABLE visits MODIFY COLUMN ua String DEFAULT 'unknown' AFTER site;
ALTER TABLE visits ADD CONSTRAINT known_site CHECK site != '', DROP CONSTRAINT positive_ms;
ALTER TABLE visits ADD PROJECTION by_user (SELECT user_id, count() GROUP BY user_id);
ALTER TABLE visits ADD PROJECTION doomed (SELECT site, ts ORDER BY ts);
ALTER TABLE visits DROP PROJECTION doomed;
ALTER TABLE visits ADD COLUMN bytes UInt64 DEFAULT 0 SETTINGS mutations_sync = 2;
ALTER TABLE visits MODIFY COLUMN bytes UInt64 CODEC(Delta, ZSTD(1)) FIRST;
ALTER TABLE visits DELETE WHERE site = 'spam';
ALTER TABLE visits MODIFY COLUMN ms UInt64 COMMENT 'milliseconds';
ALTER TABLE visits MODIFY COLUMN ms REMOVE COMMENT;
DROP DATABASE scratch;
CREATE TABLE per_site (site String, visits UInt64, ms UInt64) ENGINE = SummingMergeTree ORDER BY site;
CREATE MATERIALIZED VIEW per_site_mv TO per_site AS SELECT site, count() AS visits, sum(ms) AS ms FROM visits GROUP BY site;
-- An MV's own column list, as GitLab's dumps write them: not the query's
-- columns (user_id is UInt64 there, ms is not listed); kept by import.
CREATE TABLE per_user (user_id UInt64, visits UInt64, ms UInt64) ENGINE = SummingMergeTree ORDER BY user_id;
CREATE MATERIALIZED VIEW per_user_mv TO per_user (`user_id` String, `visits` UInt64) AS SELECT user_id, count() AS visits, sum(ms) AS ms FROM visits GROUP BY user_id;
-- MODIFY QUERY replaces the list with the query's columns.
CREATE MATERIALIZED VIEW per_user_ms_mv TO per_user (`user_id` String, `ms` UInt64) AS SELECT user_id, sum(ms) AS ms FROM visits GROUP BY user_id;
ALTER TABLE per_user_ms_mv MODIFY QUERY SELECT user_id, sum(ms) AS ms, toUInt64(0) AS visits FROM visits GROUP BY user_id;
CREATE TABLE first_visit (site String, user_id UInt64) ENGINE = ReplacingMergeTree ORDER BY (site, user_id);
CREATE MATERIALIZED VIEW first_visit_mv TO first_visit AS WITH fresh AS (SELECT * FROM visits), busy AS (SELECT site FROM fresh WHERE ms > 5) SELECT fresh.site AS site, fresh.user_id AS user_id FROM fresh LEFT JOIN busy ON busy.site = fresh.site WHERE busy.site != '';
CREATE VIEW visits_lite AS SELECT * EXCEPT (ua, bytes) FROM visits;
CREATE VIEW visits_star AS SELECT v.* FROM visits AS v WHERE v.ms > 0;
