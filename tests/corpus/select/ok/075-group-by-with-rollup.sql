SELECT year, month, sum(revenue)
FROM monthly_revenue
GROUP BY year, month WITH ROLLUP
