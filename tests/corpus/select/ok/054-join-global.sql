SELECT e.event_type, count() AS n
FROM events_dist AS e
GLOBAL JOIN users_dist AS u ON e.user_id = u.user_id
WHERE u.country = 'DE'
GROUP BY e.event_type
