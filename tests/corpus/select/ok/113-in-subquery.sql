SELECT user_id, email
FROM users
WHERE user_id IN (SELECT user_id FROM orders WHERE revenue > 100)
