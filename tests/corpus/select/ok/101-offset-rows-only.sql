SELECT order_id FROM orders ORDER BY order_id OFFSET 1000 ROWS
