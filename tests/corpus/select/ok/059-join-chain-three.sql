SELECT
    o.order_id,
    c.country,
    p.category,
    i.quantity * i.unit_price AS line_total
FROM orders AS o
INNER JOIN customers AS c ON c.customer_id = o.customer_id
INNER JOIN order_items AS i ON i.order_id = o.order_id
LEFT JOIN products AS p ON p.product_id = i.product_id
WHERE o.status = 'paid'
