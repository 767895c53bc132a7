SELECT e.*, u.country FROM events AS e LEFT JOIN users AS u ON e.user_id = u.user_id
