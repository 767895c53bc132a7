SELECT h.number AS hour_of_day, coalesce(t.n, 0) AS orders
FROM numbers(24) AS h
LEFT JOIN (SELECT toHour(ts) AS hr, count() AS n FROM orders WHERE toDate(ts) = today() GROUP BY hr) AS t ON t.hr = h.number
ORDER BY hour_of_day
