SELECT country, device, count() FROM sessions GROUP BY country, device ORDER BY ALL
