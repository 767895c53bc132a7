SELECT left(sku, 3) AS prefix, right(phone, 4) AS last4, LEFT(name, 1) FROM customers
