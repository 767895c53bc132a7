SELECT
    toYear(ts) AS year,
    toMonth(ts) AS month,
    toDayOfMonth(ts) AS day,
    toHour(ts) AS hour,
    toISOWeek(ts) AS week,
    count() AS count
FROM events
GROUP BY year, month, day, hour, week
ORDER BY year, month, day, hour
