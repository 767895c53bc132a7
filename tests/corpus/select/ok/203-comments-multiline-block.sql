/*
  Owner: growth team
  Purpose: signup -> first order latency
  NOTE: SELECT/FROM/WHERE words inside comments must be ignored
*/
SELECT
    u.country,
    avg(dateDiff('hour', u.created_at, o.first_order_at)) AS avg_hours_to_first_order
FROM users AS u
INNER JOIN (
    SELECT user_id, min(ts) AS first_order_at FROM orders GROUP BY user_id  -- first order only
) AS o ON o.user_id = u.user_id
GROUP BY u.country
