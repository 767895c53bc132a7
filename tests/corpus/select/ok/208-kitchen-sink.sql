WITH
    toDate('2024-06-01') AS start_day,
    vip AS (SELECT user_id FROM users WHERE plan = 'enterprise')
SELECT DISTINCT
    e.country,
    tag,
    count() AS events,
    uniq(e.user_id) AS users
FROM analytics.events AS e
INNER JOIN users AS u ON u.user_id = e.user_id
ARRAY JOIN e.tags AS tag
PREWHERE e.event_date >= start_day
WHERE e.user_id IN (SELECT user_id FROM vip) AND tag != ''
GROUP BY e.country, tag WITH TOTALS
HAVING events > 10
ORDER BY events DESC, e.country ASC
LIMIT 3 BY e.country
LIMIT 100
SETTINGS max_threads = 16, optimize_read_in_order = 1
