SELECT toDate(ts) AS day, lower(country) AS cc, count() AS n
FROM events
GROUP BY day, cc
