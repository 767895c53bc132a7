SELECT o.customer_id, sum(i.quantity) AS units
FROM orders o
ALL INNER JOIN order_items i ON i.order_id = o.order_id
GROUP BY o.customer_id
ORDER BY units DESC
LIMIT 5 WITH TIES
