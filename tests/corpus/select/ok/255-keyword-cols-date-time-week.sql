SELECT date, time, week, status, count() AS count
FROM shifts
WHERE date >= today() - INTERVAL 14 DAY AND status != 'cancelled'
GROUP BY date, time, week, status
ORDER BY date, time
