-- expect: 2:24
SELECT CAST(user_id AS ) FROM users
