SELECT u.user_id
FROM orders AS o
RIGHT SEMI JOIN users AS u ON u.user_id = o.user_id
LEFT ANTI JOIN banned AS b ON b.user_id = u.user_id
