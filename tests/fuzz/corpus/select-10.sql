WITH (SELECT avg(revenue) FROM orders WHERE ts >= today() - 30) AS avg_rev
SELECT order_id, revenue, revenue - avg_rev AS delta
FROM orders
WHERE revenue > 3 * avg_rev
ORDER BY delta DESC
LIMIT 50
