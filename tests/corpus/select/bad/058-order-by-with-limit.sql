-- expect: 2:78
SELECT toDate(ts) AS day, count() FROM orders GROUP BY day ORDER BY day WITH LIMIT 10
