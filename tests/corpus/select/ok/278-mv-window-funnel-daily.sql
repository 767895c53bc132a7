SELECT
    day,
    level,
    count() AS users
FROM (
    SELECT
        toDate(ts) AS day,
        user_id,
        windowFunnel(86400)(ts, event_type = 'signup', event_type = 'activate', event_type = 'subscribe') AS level
    FROM events
    GROUP BY day, user_id
)
GROUP BY day, level
