SELECT
    latency_ms < 100 ? 'fast' : latency_ms < 500 ? 'ok' : latency_ms < 2000 ? 'slow' : 'timeout' AS bucket,
    count()
FROM requests
GROUP BY bucket
