-- expect: 2:22
SELECT sumIf(revenue status = 'paid') FROM orders
