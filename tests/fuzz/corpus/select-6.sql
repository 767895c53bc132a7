WITH (SELECT max(ts) FROM events) AS m
SELECT user_id, ts FROM events WHERE ts > m - INTERVAL 1 HOUR
