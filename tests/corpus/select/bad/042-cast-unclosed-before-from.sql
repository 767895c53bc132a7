-- expect: 2:38
SELECT CAST(amount AS Decimal(18, 4) FROM orders
