-- expect: 2:22
SELECT quantiles(0.5 0.9)(latency_ms) FROM requests
