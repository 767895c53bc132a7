-- expect: 2:44
SELECT * FROM users WHERE user_id IN (1, 2 3)
