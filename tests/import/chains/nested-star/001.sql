-- SELECT * over a table with a Nested column: the server gives its
-- fields as columns of their own (spans.Events.Name, ...), which is how
-- the copy below declares them; import writes the MV's query with those
-- names, not `Events` (an output chDB 26.5 refuses into the copy).
CREATE DATABASE app;
USE app;
CREATE TABLE spans (
    ts DateTime,
    trace_id String,
    Events Nested(Name LowCardinality(String), At DateTime),
    kind String MATERIALIZED Events.Name[1]
) ENGINE = MergeTree ORDER BY (trace_id, ts);
CREATE TABLE spans_copy (
    ts DateTime,
    trace_id String,
    `Events.Name` Array(LowCardinality(String)),
    `Events.At` Array(DateTime),
    kind String
) ENGINE = MergeTree ORDER BY ts;
CREATE MATERIALIZED VIEW spans_copy_mv TO spans_copy AS SELECT * FROM spans;
-- The same fields read by path and written into a Nested target.
CREATE TABLE span_events (trace_id String, Events Nested(Name String, At DateTime)) ENGINE = MergeTree ORDER BY trace_id;
CREATE MATERIALIZED VIEW span_events_mv TO span_events AS SELECT trace_id, Events.Name, spans.Events.At FROM spans;
