SELECT
    toStartOfDay(hour) AS day,
    sumStateIf(revenue, revenue > 0) AS positive_revenue,
    avgMergeState(avg_latency) AS avg_latency
FROM hourly_stats
GROUP BY day
