SELECT toStartOfHour(ts) AS hour, quantilesState(0.5, 0.9)(latency_ms) AS lat
FROM requests
GROUP BY hour
