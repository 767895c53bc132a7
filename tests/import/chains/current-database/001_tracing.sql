-- A Merge table over its own database, named by currentDatabase() (as
-- uptrace's tracing_data is): the server evaluates it when the CREATE
-- runs, in the session's database, so the plan must name the table's.
CREATE DATABASE IF NOT EXISTS cdb;
USE cdb;

CREATE TABLE spans_data (id UInt64, body String) ENGINE = MergeTree ORDER BY id;
CREATE TABLE logs_data AS spans_data;
CREATE OR REPLACE TABLE tracing_data AS logs_data
ENGINE = Merge(currentDatabase(), '^(spans|logs)_data$');
