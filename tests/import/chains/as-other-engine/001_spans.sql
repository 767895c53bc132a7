CREATE DATABASE IF NOT EXISTS traces;
USE traces;
-- A local table with a skip index, a projection, a column TTL and a
-- constraint.
CREATE TABLE spans (
    ts DateTime,
    code String,
    kept UInt8 TTL ts + INTERVAL 1 DAY,
    INDEX idx_code code TYPE bloom_filter GRANULARITY 4,
    CONSTRAINT small CHECK kept < 200,
    PROJECTION by_code (SELECT ts ORDER BY code)
) ENGINE = MergeTree ORDER BY ts;
-- Copies of another engine: the columns (no TTL) and the constraint, no
-- index and no projection. A copy with no engine of its own keeps them all.
CREATE TABLE spans_mem AS spans ENGINE = Memory;
CREATE TABLE spans_null AS spans ENGINE = Null;
CREATE TABLE spans_copy AS spans;
