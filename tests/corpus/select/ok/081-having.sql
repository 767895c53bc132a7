SELECT user_id, count() AS orders, sum(revenue) AS total
FROM orders
GROUP BY user_id
HAVING orders >= 3 AND total > 500
