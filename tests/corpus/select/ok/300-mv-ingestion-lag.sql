SELECT
    toStartOfMinute(_ingested_at) AS minute,
    source,
    quantileState(0.99)(dateDiff('millisecond', event_time, _ingested_at)) AS p99_lag_ms,
    maxState(dateDiff('millisecond', event_time, _ingested_at)) AS max_lag_ms,
    countState() AS events
FROM raw_events
GROUP BY minute, source
