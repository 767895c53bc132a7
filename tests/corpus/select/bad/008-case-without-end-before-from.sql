-- expect: 5:1
SELECT
    user_id,
    CASE WHEN revenue > 100 THEN 'high' WHEN revenue > 10 THEN 'mid' ELSE 'low'
FROM orders
