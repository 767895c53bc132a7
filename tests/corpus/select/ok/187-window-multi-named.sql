SELECT
    product_id,
    category,
    revenue,
    rank() OVER by_cat AS rnk,
    dense_rank() OVER by_cat AS dense_rnk,
    sum(revenue) OVER (PARTITION BY category) AS cat_total,
    avg(revenue) OVER last7 AS rolling
FROM product_revenue
WINDOW by_cat AS (PARTITION BY category ORDER BY revenue DESC),
       last7 AS (PARTITION BY product_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
ORDER BY category, rnk
