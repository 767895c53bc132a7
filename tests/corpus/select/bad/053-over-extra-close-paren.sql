-- expect: 2:60
SELECT sum(revenue) OVER (PARTITION BY user_id ORDER BY ts)) AS running FROM orders
