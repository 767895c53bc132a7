SELECT day, signups,
       avg(signups) OVER (ORDER BY day_num RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS smoothed
FROM daily_signups
