SELECT country, toDate(ts) AS day, count() FROM events GROUP BY ALL
