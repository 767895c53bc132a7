SELECT d.day, c.country FROM calendar AS d CROSS JOIN countries AS c WHERE d.day >= today() - 7
