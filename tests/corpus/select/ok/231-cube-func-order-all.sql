SELECT country, plan, count() FROM users GROUP BY CUBE(country, plan) ORDER BY ALL
