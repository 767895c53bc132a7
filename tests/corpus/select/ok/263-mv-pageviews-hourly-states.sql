SELECT
    toStartOfHour(ts) AS hour,
    site_id,
    country,
    countState() AS views,
    uniqState(user_id) AS visitors,
    sumState(duration_ms) AS total_duration_ms,
    quantilesState(0.5, 0.9, 0.99)(duration_ms) AS duration_quantiles
FROM page_views
GROUP BY hour, site_id, country
