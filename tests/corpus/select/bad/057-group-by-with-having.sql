-- expect: 2:58
SELECT country, count() FROM users GROUP BY country WITH HAVING count() > 10
