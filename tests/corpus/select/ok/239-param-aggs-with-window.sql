SELECT
    endpoint,
    quantiles(0.5, 0.95)(latency_ms) AS q,
    topK(5)(status) AS common_statuses,
    histogram(8)(latency_ms) AS hist,
    count() AS n,
    n / sum(n) OVER () AS share
FROM requests
GROUP BY endpoint
