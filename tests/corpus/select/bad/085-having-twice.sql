-- expect: 6:1
SELECT user_id, count() AS n
FROM events
GROUP BY user_id
HAVING n > 10
HAVING n < 1000
