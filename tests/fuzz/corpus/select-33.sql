SELECT user_id, email FROM users FINAL WHERE is_deleted = 0
