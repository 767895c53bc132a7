-- expect: 6:1
SELECT e.user_id, u.country, s.duration
FROM events e
JOIN users u ON u.user_id = e.user_id
JOIN sessions s
GROUP BY e.user_id, u.country, s.duration
