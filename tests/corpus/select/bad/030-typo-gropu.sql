-- expect: 4:7
SELECT country, count()
FROM users
GROPU BY country
