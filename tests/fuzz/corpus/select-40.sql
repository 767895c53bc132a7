SELECT e.event_type, u.country FROM events e INNER JOIN users u ON e.user_id = u.user_id
