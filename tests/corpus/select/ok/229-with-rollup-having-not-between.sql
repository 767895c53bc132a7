SELECT country, device, sum(revenue) AS rev
FROM orders
WHERE amount NOT BETWEEN 0 AND 0.99
GROUP BY country, device WITH ROLLUP
HAVING rev > 0
ORDER BY country, device
