SELECT
    coalesce(a.day, b.day) AS day,
    a.signups,
    b.orders
FROM (SELECT toDate(created_at) AS day, count() AS signups FROM users GROUP BY day) AS a
FULL OUTER JOIN (SELECT toDate(ts) AS day, count() AS orders FROM orders GROUP BY day) AS b
    ON a.day = b.day
ORDER BY day
