-- expect: 6:1
SELECT user_id, count() AS n
FROM events
GROUP BY user_id
ORDER BY n DESC
HAVING n > 10
