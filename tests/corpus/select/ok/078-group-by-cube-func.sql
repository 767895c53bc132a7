SELECT country, device, uniq(user_id) FROM sessions GROUP BY CUBE(country,device)
