SELECT user_id, last_login
FROM users
ORDER BY last_login DESC NULLS LAST, user_id ASC NULLS FIRST
