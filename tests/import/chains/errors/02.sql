-- A later migration drops the table agg_mv reads: the MV is dangling.
DROP TABLE raw;
CREATE TABLE prom ENGINE = TimeSeries SETTINGS allow_experimental_time_series_table = 1;
