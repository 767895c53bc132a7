SELECT
    toDate(hour) AS day,
    site_id,
    countMergeState(views) AS views,
    uniqMergeState(visitors) AS visitors,
    sumMergeState(total_duration_ms) AS total_duration_ms
FROM page_views_hourly
GROUP BY day, site_id
