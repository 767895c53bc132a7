SELECT
    country,
    count() AS users,
    users / (SELECT count() FROM users) AS share
FROM users
GROUP BY country
