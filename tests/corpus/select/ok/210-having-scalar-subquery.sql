SELECT seller_id, sum(revenue) AS rev
FROM orders
GROUP BY seller_id
HAVING rev > (SELECT quantile(0.9)(total) FROM (SELECT sum(revenue) AS total FROM orders GROUP BY seller_id))
ORDER BY rev DESC
