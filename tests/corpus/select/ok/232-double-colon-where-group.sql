SELECT props['version']::UInt32 AS v, count()
FROM app_events
WHERE props['build']::UInt64 > 1000 AND (props['ratio']::Float64) < 0.5
GROUP BY v
