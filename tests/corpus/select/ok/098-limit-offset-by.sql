SELECT user_id, ts FROM events ORDER BY user_id, ts LIMIT 1, 2 BY user_id
