SELECT
    toStartOfMinute(ts) AS minute,
    service,
    quantilesTDigestState(0.5, 0.95, 0.99)(latency_ms) AS latency_q,
    maxState(latency_ms) AS latency_max,
    countState() AS n
FROM spans
WHERE kind = 'server'
GROUP BY minute, service
