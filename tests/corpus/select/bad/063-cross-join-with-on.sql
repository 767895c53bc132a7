-- expect: 4:27
SELECT d.day, c.country
FROM calendar AS d
CROSS JOIN countries AS c ON c.active = 1
