-- expect: 2:57
SELECT count() FROM orders WHERE ts >= '2024-01-01' AND <= '2024-02-01'
