SELECT count() FROM events WHERE user_id IN blocked_users
