-- expect: 8:1
SELECT country, avg(total) AS avg_total
FROM (
    SELECT user_id, any(country) AS country, sum(revenue) AS total
    FROM orders
    WHERE user_id IN (SELECT user_id FROM users WHERE plan = 'pro'))
    GROUP BY user_id
)
GROUP BY country
