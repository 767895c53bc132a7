SELECT quantiles(0.5, 0.9, 0.99)(latency_ms) AS q FROM requests WHERE ts > now() - INTERVAL 1 HOUR
