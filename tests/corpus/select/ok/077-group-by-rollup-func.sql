SELECT country, city, sum(revenue) AS rev
FROM orders
GROUP BY ROLLUP(country, city)
ORDER BY country, city
