WITH 10 AS n SELECT user_id, count() AS c FROM events GROUP BY user_id HAVING c > n ORDER BY c DESC LIMIT 100
