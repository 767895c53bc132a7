SELECT e.user_id, u.plan
FROM events AS e
ANY LEFT JOIN users AS u ON u.user_id = e.user_id
