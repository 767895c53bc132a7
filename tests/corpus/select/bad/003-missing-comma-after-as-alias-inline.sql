-- expect: 2:26
SELECT toDate(ts) AS day count() AS n FROM events GROUP BY day
