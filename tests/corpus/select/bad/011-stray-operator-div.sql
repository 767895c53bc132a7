-- expect: 2:18
SELECT revenue * / 100 AS pct FROM orders
