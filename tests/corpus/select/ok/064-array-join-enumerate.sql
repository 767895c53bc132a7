SELECT order_id, item, i
FROM orders
ARRAY JOIN items AS item, arrayEnumerate(items) AS i
WHERE i <= 3
