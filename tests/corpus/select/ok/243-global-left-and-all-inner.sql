SELECT e.user_id, u.plan, s.segment
FROM events_dist AS e
GLOBAL LEFT JOIN users_dist AS u ON u.user_id = e.user_id
GLOBAL ALL INNER JOIN segments_dist AS s ON s.user_id = e.user_id
