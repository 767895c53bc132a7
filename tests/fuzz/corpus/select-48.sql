SELECT e.user_id, u.plan
FROM events AS e
LEFT ANY JOIN users AS u USING (user_id)
