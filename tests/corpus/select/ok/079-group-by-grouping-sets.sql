SELECT country, device, count() AS n
FROM sessions
GROUP BY GROUPING SETS ((country), (country, device), ())
ORDER BY country, device
