SELECT user_id FROM users WHERE deleted_at IS NULL AND email IS NOT NULL
