SELECT category, product_id, revenue
FROM product_revenue
ORDER BY revenue DESC
LIMIT 2 BY category
LIMIT 10 WITH TIES
