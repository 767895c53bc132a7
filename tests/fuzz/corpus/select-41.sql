SELECT o.order_id, o.revenue, c.name AS customer
FROM orders AS o
LEFT JOIN customers AS c ON c.customer_id = o.customer_id
WHERE o.ts >= today()
