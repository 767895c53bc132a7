SELECT
    toDate(ts) AS day,
    campaign_id,
    ad_group_id,
    countIf(event_type = 'impression') AS impressions,
    countIf(event_type = 'click') AS clicks,
    countIf(event_type = 'conversion') AS conversions,
    sumIf(revenue, event_type = 'conversion') AS revenue,
    uniqIf(user_id, event_type = 'click') AS unique_clickers
FROM ad_events
GROUP BY day, campaign_id, ad_group_id
