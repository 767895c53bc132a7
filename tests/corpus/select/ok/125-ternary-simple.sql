SELECT user_id, revenue > 0 ? 'paying' : 'free' AS tier FROM users
