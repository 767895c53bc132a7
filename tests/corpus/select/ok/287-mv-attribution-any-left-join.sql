SELECT
    toDate(cv.ts) AS day,
    ck.campaign_id,
    count() AS conversions,
    sum(cv.value) AS conversion_value,
    avg(dateDiff('minute', ck.ts, cv.ts)) AS avg_minutes_to_convert
FROM conversions AS cv
ANY LEFT JOIN ad_clicks AS ck ON ck.click_id = cv.click_id
WHERE ck.ts <= cv.ts
GROUP BY day, ck.campaign_id
