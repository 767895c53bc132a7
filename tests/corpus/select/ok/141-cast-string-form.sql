SELECT CAST(user_id, 'String') AS uid, CAST(price, 'Decimal(10, 2)') AS price FROM products
