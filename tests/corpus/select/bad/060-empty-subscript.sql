-- expect: 2:13
SELECT tags[] FROM users
