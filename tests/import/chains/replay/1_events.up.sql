-- golang-migrate pairs: only *.up.sql is part of the chain.
SET allow_suspicious_low_cardinality_types = 1;
CREATE TABLE events (
    ts DateTime64(3),
    kind LowCardinality(String),
    user_id UInt64,
    bytes UInt32 DEFAULT 0,
    tmp String
) ENGINE = MergeTree ORDER BY (kind, ts) TTL toDateTime(ts) + INTERVAL 30 DAY SETTINGS index_granularity = 4096, min_bytes_for_wide_part = 0;

CREATE TABLE kinds (kind LowCardinality(String), n SimpleAggregateFunction(sum, UInt64), bytes SimpleAggregateFunction(sum, UInt64))
ENGINE = AggregatingMergeTree ORDER BY kind;

CREATE MATERIALIZED VIEW kinds_mv TO kinds AS SELECT kind, count() AS n, sum(bytes) AS bytes FROM events GROUP BY kind;
