SELECT
    toStartOfMinute(ts) AS minute,
    histogram(10)(response_bytes) AS size_histogram,
    avg(response_bytes) AS avg_bytes
FROM cdn_logs
GROUP BY minute
