select count(distinct country) as countries, COUNT(*) total from users
