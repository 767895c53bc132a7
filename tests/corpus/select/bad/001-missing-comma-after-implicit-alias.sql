-- expect: 2:24
SELECT user_id country city FROM users
