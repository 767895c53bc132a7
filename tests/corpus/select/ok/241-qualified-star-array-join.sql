SELECT o.*, item
FROM orders AS o
ARRAY JOIN o.items AS item
WHERE o.ts >= today()
