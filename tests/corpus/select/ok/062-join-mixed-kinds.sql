SELECT e.user_id, u.country, s.segment, c.name
FROM events e
ANY LEFT JOIN users u ON u.user_id = e.user_id
LEFT SEMI JOIN active_users a ON a.user_id = e.user_id
LEFT JOIN segments s USING (user_id)
CROSS JOIN (SELECT 'default' AS name) c
