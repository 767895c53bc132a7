WITH
    toStartOfDay(now()) AS day_start,
    day_start - INTERVAL 7 DAY AS week_start,
    ['US', 'CA', 'GB'] AS markets
SELECT country, uniq(user_id) AS users
FROM sessions
WHERE started_at >= week_start AND started_at < day_start AND has(markets, country)
GROUP BY country
ORDER BY users DESC
