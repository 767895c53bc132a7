SELECT user_id, tag FROM users ARRAY JOIN tags AS tag
