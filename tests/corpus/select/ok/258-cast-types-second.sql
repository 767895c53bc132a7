SELECT
    CAST(NULL AS Nullable(String)) AS empty_ref,
    CAST([('a', 1), ('b', 2)] AS Array(Tuple(String, UInt8))) AS pairs,
    CAST(map('x', 1) AS Map(String, UInt64)) AS counters,
    CAST(now64(3) AS DateTime64(3, 'UTC')) AS ts_ms,
    CAST('2024-01-01 00:00:00' AS DateTime('Europe/Berlin')) AS berlin,
    CAST(1.5 AS Decimal(18, 4)) AS d,
    CAST(source, 'LowCardinality(String)') AS src
FROM raw_events
LIMIT 1
