SELECT
    toStartOfHour(ts) AS hour,
    country,
    countState() AS events,
    uniqState(user_id) AS users
FROM events_dist
WHERE user_id GLOBAL NOT IN (SELECT user_id FROM test_accounts_dist)
  AND event_type != 'heartbeat'
GROUP BY hour, country
