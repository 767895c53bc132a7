SELECT
    hour,
    site_id,
    countMerge(views) AS views,
    uniqMerge(visitors) AS visitors,
    sumMerge(total_duration_ms) / views AS avg_duration_ms,
    quantilesMerge(0.5, 0.9, 0.99)(duration_quantiles) AS q
FROM page_views_hourly
WHERE hour >= now() - INTERVAL 24 HOUR
GROUP BY hour, site_id
ORDER BY hour
