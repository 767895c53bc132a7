SELECT toDate(ts) AS day, count() AS n
FROM orders
GROUP BY day
ORDER BY day WITH FILL
