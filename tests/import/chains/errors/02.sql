-- A later migration drops the table agg_mv reads: the MV is dangling.
DROP TABLE raw;
CREATE TABLE prom ENGINE = TimeSeries SETTINGS allow_experimental_time_series_table = 1 METRICS my_metrics;
-- A function made twice (ClickHouse refuses the second, 609).
CREATE FUNCTION twice AS (x) -> x;
CREATE FUNCTION twice AS (x) -> x + 1;
-- A view that calls a function a later statement replaces: the server
-- stored the view with the body of then.
CREATE TABLE src2 (k UInt64) ENGINE = MergeTree ORDER BY k;
CREATE VIEW doubled AS SELECT twice(k) AS t2 FROM src2;
CREATE OR REPLACE FUNCTION twice AS (x) -> x * 2;
DROP FUNCTION never_made;
