SELECT
    CAST(referrer AS Nullable(String)) AS ref,
    CAST(amount AS Decimal(18, 4)) AS amount_dec,
    CAST(ts AS DateTime('UTC')) AS ts_utc,
    CAST(pairs AS Array(Tuple(String, UInt8))) AS typed_pairs,
    CAST(country AS LowCardinality(String)) AS cc,
    CAST(counters AS Map(String, UInt64)) AS counter_map,
    CAST(event_time AS DateTime64(3, 'UTC')) AS ts_ms
FROM raw_events
