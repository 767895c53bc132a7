-- expect: 2:47
SELECT user_id FROM users WHERE deleted_at IS = NULL
