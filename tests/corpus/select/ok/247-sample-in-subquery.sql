SELECT country, approx_users * 10 AS est_users
FROM (
    SELECT country, uniq(user_id) AS approx_users
    FROM events SAMPLE 1/10
    GROUP BY country
)
ORDER BY est_users DESC
