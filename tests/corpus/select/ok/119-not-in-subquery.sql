SELECT count() FROM events WHERE user_id NOT IN (SELECT user_id FROM internal_accounts)
