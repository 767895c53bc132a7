SELECT
    day,
    revenue,
    sum(revenue) OVER (ORDER BY day_num RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
    max(revenue) OVER (ORDER BY day_num RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS local_max
FROM daily_revenue
