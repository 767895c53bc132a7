SELECT country, device, count()
FROM sessions
GROUP BY ROLLUP(country, device) WITH TOTALS
