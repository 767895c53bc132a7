-- SQL SECURITY INVOKER on a plain view: ClickHouse's default for views
-- (default_normal_view_sql_security), written out on every view of a
-- schema; the imported view, which says nothing, is the same view.
CREATE TABLE spans (trace_id String, start_time DateTime64(9), end_time DateTime64(9)) ENGINE = MergeTree ORDER BY (trace_id, start_time);
CREATE VIEW IF NOT EXISTS traces_v0 SQL SECURITY INVOKER AS
    SELECT trace_id, min(start_time) AS start_time, max(end_time) AS end_time FROM spans GROUP BY trace_id;
CREATE OR REPLACE VIEW spans_v0 (trace_id String, start_time DateTime64(9)) SQL SECURITY INVOKER AS SELECT trace_id, start_time FROM spans;
