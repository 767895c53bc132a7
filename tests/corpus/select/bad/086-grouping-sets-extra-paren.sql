-- expect: 2:100
SELECT country, device, count() FROM sessions GROUP BY GROUPING SETS ((country), (country, device)))
