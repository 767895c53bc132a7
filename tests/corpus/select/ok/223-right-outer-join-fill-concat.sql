SELECT
    toDate(c.day) AS day,
    'signups:' || toString(coalesce(s.n, 0)) AS label
FROM (SELECT toDate(created_at) AS day, count() AS n FROM users GROUP BY day) AS s
RIGHT OUTER JOIN calendar AS c ON c.day = s.day
WHERE c.day >= today() - 14
ORDER BY day WITH FILL STEP 1
