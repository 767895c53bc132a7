SELECT s.country, s.n FROM (SELECT country, count() n FROM users GROUP BY country) s ORDER BY s.n DESC
