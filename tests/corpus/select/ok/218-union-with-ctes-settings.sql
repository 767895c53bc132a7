WITH paid AS (SELECT user_id, revenue FROM orders WHERE status = 'paid')
SELECT 'paid' AS bucket, sum(revenue) FROM paid
UNION ALL
SELECT 'refunded' AS bucket, -sum(revenue) FROM orders WHERE status = 'refunded'
SETTINGS max_threads = 2
