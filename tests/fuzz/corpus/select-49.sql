SELECT o.order_id, i.sku, i.quantity
FROM orders o
ALL INNER JOIN order_items i ON i.order_id = o.order_id
