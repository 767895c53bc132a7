-- expect: 2:16
SELECT user_id,, country FROM users
