-- expect: 2:26
SELECT is_paid ? revenue 0 AS r FROM orders
