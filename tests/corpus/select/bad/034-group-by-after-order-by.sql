-- expect: 5:1
SELECT user_id, count() AS n
FROM events
ORDER BY n DESC
GROUP BY user_id
