SELECT user_id, ts FROM events ORDER BY user_id ASC, ts DESC
