SELECT country, count() AS users
FROM users
GROUP BY country WITH TOTALS
ORDER BY users DESC
