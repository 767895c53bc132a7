SELECT toStartOfHour(ts) AS hour, sensor_id, avg(value) AS v
FROM readings
GROUP BY hour, sensor_id
ORDER BY sensor_id, hour WITH FILL STEP 3600 STALENESS 86400
INTERPOLATE (v AS v, sensor_id)
LIMIT 10, 100 WITH TIES
