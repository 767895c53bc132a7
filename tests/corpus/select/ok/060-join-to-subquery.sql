SELECT u.user_id, u.country, r.total
FROM users u
JOIN (
    SELECT user_id, sum(revenue) AS total
    FROM orders
    GROUP BY user_id
) r ON r.user_id = u.user_id
ORDER BY r.total DESC
LIMIT 20
