SELECT u.user_id, u.email
FROM users AS u
LEFT ANTI JOIN orders AS o ON o.user_id = u.user_id
WHERE u.created_at < today() - 30
