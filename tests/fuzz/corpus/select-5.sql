WITH
  purchases AS (
    SELECT user_id, sum(revenue) AS total
    FROM orders
    WHERE status = 'paid'
    GROUP BY user_id
  ),
  whales AS (SELECT user_id FROM purchases WHERE total > 1000)
SELECT u.country, count() AS whale_count
FROM whales AS w
INNER JOIN users AS u ON u.user_id = w.user_id
GROUP BY u.country
ORDER BY whale_count DESC
