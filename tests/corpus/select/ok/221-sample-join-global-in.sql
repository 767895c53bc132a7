SELECT e.country, count() * 100 AS approx_events
FROM events_dist AS e SAMPLE 1/100
WHERE e.user_id GLOBAL IN (SELECT user_id FROM premium_users_dist)
GROUP BY e.country
ORDER BY approx_events DESC
SETTINGS max_parallel_replicas = 3
