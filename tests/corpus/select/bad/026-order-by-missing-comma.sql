-- expect: 2:79
SELECT country, count() AS users FROM users GROUP BY country ORDER BY country users DESC
