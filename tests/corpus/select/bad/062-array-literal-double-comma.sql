-- expect: 2:18
SELECT has([1, 2,, 3], status) FROM orders
