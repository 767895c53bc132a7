-- expect: 3:63
SELECT day,
       sum(revenue) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED AND CURRENT ROW) AS running
FROM daily_revenue
