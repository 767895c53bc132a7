WITH active AS (SELECT user_id FROM events WHERE ts > now() - INTERVAL 1 DAY GROUP BY user_id)
SELECT count() FROM active
