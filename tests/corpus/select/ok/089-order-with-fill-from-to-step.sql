SELECT toStartOfHour(ts) AS hour, count() AS views
FROM page_views
WHERE ts >= today()
GROUP BY hour
ORDER BY hour WITH FILL FROM toStartOfDay(now()) TO now() STEP INTERVAL 1 HOUR
