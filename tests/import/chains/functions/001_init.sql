-- SQL functions (untyped UDFs) and an MV and a view that call them.
CREATE DATABASE fn;
CREATE FUNCTION bucket AS (x, n) -> intDiv(x, n) * n;
CREATE FUNCTION IF NOT EXISTS label AS s -> concat('old-', s);
-- Replaced before anything calls it: the new body is the one.
CREATE OR REPLACE FUNCTION label AS (s) -> concat('x-', upper(s));
-- IF NOT EXISTS on a function that exists: nothing happens.
CREATE FUNCTION IF NOT EXISTS bucket AS (x) -> x;
-- One function calling another.
CREATE FUNCTION bucket10 AS (x) -> bucket(x, 10);
CREATE FUNCTION scratch AS (a, b) -> a + b;
DROP FUNCTION scratch;
DROP FUNCTION IF EXISTS never_made;
CREATE TABLE fn.events (k UInt64, v UInt64, name String) ENGINE = MergeTree ORDER BY k;
CREATE TABLE fn.buckets (b UInt64, l String, total UInt64) ENGINE = SummingMergeTree ORDER BY (b, l);
CREATE MATERIALIZED VIEW fn.buckets_mv TO fn.buckets AS
SELECT bucket10(k) AS b, label(name) AS l, sum(v) AS total FROM fn.events GROUP BY b, l;
CREATE VIEW fn.labelled AS SELECT k, label(name) AS l, bucket(v, 100) AS vb FROM fn.events;
