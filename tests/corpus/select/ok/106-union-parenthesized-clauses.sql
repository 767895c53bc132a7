(SELECT user_id, revenue FROM orders WHERE country = 'US' ORDER BY revenue DESC LIMIT 5)
UNION ALL
(SELECT user_id, revenue FROM orders WHERE country = 'DE' ORDER BY revenue DESC LIMIT 5)
