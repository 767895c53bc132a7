SELECT avg(c) FROM (SELECT user_id, count() AS c FROM events GROUP BY user_id)
