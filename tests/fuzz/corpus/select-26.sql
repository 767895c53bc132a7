SELECT t.user_id, t.c
FROM (SELECT user_id, count() AS c FROM events GROUP BY user_id) AS t
WHERE t.c > 100
