SELECT country, count() AS n, n / sum(n) OVER () AS share FROM users GROUP BY country
