-- expect: 4:18
SELECT user_id, ts
FROM events
ORDER BY ts DESC DESC
LIMIT 10
