-- expect: 2:65
SELECT count() FROM (SELECT user_id, tags FROM users ARRAY JOIN ) AS t
