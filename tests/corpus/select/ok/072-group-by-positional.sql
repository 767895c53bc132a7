SELECT country, device, count() FROM sessions GROUP BY 1, 2 ORDER BY 3 DESC
