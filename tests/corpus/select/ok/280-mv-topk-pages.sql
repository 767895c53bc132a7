SELECT
    toStartOfHour(ts) AS hour,
    site_id,
    topKState(20)(url) AS top_urls,
    topKWeightedState(20)(referrer, toUInt64(1)) AS top_referrers
FROM page_views
GROUP BY hour, site_id
