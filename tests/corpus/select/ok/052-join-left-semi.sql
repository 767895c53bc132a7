SELECT u.user_id, u.email
FROM users AS u
LEFT SEMI JOIN orders AS o ON o.user_id = u.user_id
