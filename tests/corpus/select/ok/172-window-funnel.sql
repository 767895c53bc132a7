SELECT level, count() AS users
FROM (
    SELECT user_id,
           windowFunnel(3600)(ts, event_type = 'view', event_type = 'cart', event_type = 'checkout', event_type = 'purchase') AS level
    FROM events
    WHERE event_date = today()
    GROUP BY user_id
)
GROUP BY level
ORDER BY level
