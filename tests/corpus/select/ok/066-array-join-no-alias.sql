SELECT user_id, tags FROM users ARRAY JOIN tags
