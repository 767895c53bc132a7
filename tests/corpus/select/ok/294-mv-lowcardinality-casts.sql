SELECT
    toStartOfHour(ts) AS hour,
    CAST(browser AS LowCardinality(String)) AS browser,
    CAST(os AS LowCardinality(String)) AS os,
    toLowCardinality(device_type) AS device_type,
    count() AS hits
FROM page_views
GROUP BY hour, browser, os, device_type
