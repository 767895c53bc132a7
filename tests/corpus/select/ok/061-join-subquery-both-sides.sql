SELECT a.day, a.dau, b.revenue, b.revenue / a.dau AS arpdau
FROM (SELECT toDate(ts) AS day, uniq(user_id) AS dau FROM events GROUP BY day) a
LEFT JOIN (SELECT toDate(ts) AS day, sum(revenue) AS revenue FROM orders GROUP BY day) b USING day
ORDER BY a.day
