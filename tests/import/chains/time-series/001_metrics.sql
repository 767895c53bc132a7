-- TimeSeries tables (experimental): the engine makes the columns and the
-- inner tables; import writes every column out, and the setting.
CREATE DATABASE metrics;
SET allow_experimental_time_series_table = 1;
CREATE TABLE metrics.prom ENGINE = TimeSeries;
-- Columns given in another order, one type overridden, min_time and
-- max_time left out by a setting, the inner engines spelled as the
-- defaults, a comment.
CREATE TABLE metrics.light (value Float32, id UUID) ENGINE = TimeSeries
SETTINGS store_min_time_and_max_time = 0
DATA ENGINE = MergeTree ORDER BY (id, timestamp)
TAGS ENGINE = AggregatingMergeTree PRIMARY KEY metric_name ORDER BY tuple(metric_name, id)
METRICS ENGINE = ReplacingMergeTree ORDER BY metric_family_name
COMMENT 'no min/max';
CREATE TABLE metrics.notes (k UInt64, note String) ENGINE = MergeTree ORDER BY k;
