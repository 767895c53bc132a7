-- expect: 4:45
SELECT e.user_id, u.plan
FROM events e
INNER JOIN users u ON u.user_id = e.user_id USING (user_id)
