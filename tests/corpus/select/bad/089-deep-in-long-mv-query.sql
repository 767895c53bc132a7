-- expect: 21:16
WITH purchases AS (
    SELECT user_id, ts, amount
    FROM events
    WHERE event_type = 'purchase'
)
SELECT
    toStartOfHour(ts) AS hour,
    country,
    countState() AS views,
    uniqState(user_id) AS visitors,
    sumState(duration_ms) AS total_duration_ms,
    quantilesState(0.5, 0.9, 0.99)(duration_ms) AS duration_quantiles,
    sumIf(amount, amount > 0) AS revenue
FROM page_views AS pv
LEFT JOIN purchases AS p ON p.user_id = pv.user_id
WHERE pv.ts >= now() - INTERVAL 1 DAY
  AND pv.country NOT IN ('', 'ZZ')
GROUP BY hour, country
ORDER BY hour DESC,
         views views DESC
LIMIT 100
